import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListMultipartUploadsCommand,
  PutObjectCommand,
  paginateListObjectsV2,
  S3Client,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { DomainError } from "@instagram/kit";
import { assertBlobKey, type BlobStore, type StoredBlob } from "./blob-store.ts";
import { FileBlobStore } from "./file-blob-store.ts";
import { ScratchFile } from "./scratch-file.ts";

export interface S3BlobStoreOptions {
  bucket: string;
  /** An S3-compatible server (SeaweedFS, MinIO, Ceph); unset → AWS itself. */
  endpoint?: string;
  region: string;
  /** Unset → the AWS SDK's default credential chain (environment, profile, instance role). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** `<endpoint>/<bucket>/<key>` instead of `<bucket>.<endpoint>/<key>` (most self-hosted servers). */
  forcePathStyle: boolean;
  /** Local directory for upload spools and renditions before they are sent (the scratch space). */
  scratchDir: string;
  /** When set, content is served by redirecting to a presigned URL valid this long. */
  presignSeconds?: number;
  /** Bodies larger than this go as a multipart upload of parts this size; default 8 MiB (min 5 MiB). */
  partBytes?: number;
}

const MiB = 1024 * 1024;
/** Seconds a client is told to wait when the object store is away. */
const RETRY_AFTER_SECONDS = 1;

/**
 * Blobs as objects `<key>` in an S3 bucket. A PUT (or a multipart upload's completion) is atomic:
 * readers see the whole object or none, so there is no scratch object. A write interrupted by a
 * crash leaves at most an unfinished multipart upload, which `sweepScratch` aborts once stale.
 * Uploads stream: a complete scratch file (ScratchFile) is sent from disk in one PUT of known
 * length, or as parts when large; any other body goes through the SDK's multipart uploader, which
 * holds at most two parts in memory. Failures of the store (unreachable, 5xx) become
 * `unavailable` (503 / Unavailable), so a client retries instead of seeing a server error.
 */
export class S3BlobStore implements BlobStore {
  readonly bucket: string;
  /** A short-lived URL for reading `key` directly from the store; set when content is presigned. */
  readonly presignedUrl?: (key: string, contentType: string) => Promise<string>;
  private readonly client: S3Client;
  private readonly scratch: FileBlobStore;
  private readonly partBytes: number;

  constructor(opts: S3BlobStoreOptions) {
    this.bucket = opts.bucket;
    this.client = new S3Client({
      endpoint: opts.endpoint,
      region: opts.region,
      credentials: opts.credentials,
      forcePathStyle: opts.forcePathStyle,
      // Checksums only where S3 requires them: self-hosted stores differ in what else they accept.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
      // A store that is gone is told quickly (the SDK retries twice more before giving up).
      requestHandler: { connectionTimeout: 2_000, requestTimeout: 30_000 },
    });
    // The scratch space is a local directory: sharp spools and renders to files.
    this.scratch = new FileBlobStore(opts.scratchDir);
    this.partBytes = Math.max(5 * MiB, opts.partBytes ?? 8 * MiB);
    const seconds = opts.presignSeconds;
    if (seconds !== undefined) {
      this.presignedUrl = (key, contentType) => {
        assertBlobKey(key);
        const get = new GetObjectCommand({
          Bucket: this.bucket,
          Key: key,
          ResponseContentType: contentType,
          ResponseCacheControl: "public, max-age=31536000, immutable",
        });
        return getSignedUrl(this.client, get, { expiresIn: seconds });
      };
    }
  }

  async init(): Promise<void> {
    await this.scratch.init();
  }

  /** The local scratch space. */
  get scratchDir(): string {
    return this.scratch.scratchDir;
  }

  /** A fresh path in the local scratch space. */
  scratchPath(suffix: string): string {
    return this.scratch.scratchPath(suffix);
  }

  async put(key: string, body: ReadableStream<Uint8Array>): Promise<{ size: number }> {
    assertBlobKey(key);
    if (body instanceof ScratchFile) return this.putFile(key, await body.written);
    let size = 0;
    const counted = body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          size += chunk.byteLength;
          controller.enqueue(chunk);
        },
      }),
    );
    await this.upload(key, counted);
    return { size };
  }

  /** A complete local file: one streamed PUT of known length, or a multipart upload when large. */
  private async putFile(key: string, path: string): Promise<{ size: number }> {
    const { size } = await stat(path);
    if (size > this.partBytes) {
      await this.upload(key, createReadStream(path));
      return { size };
    }
    const command = new PutObjectCommand({
      Bucket: this.bucket,
      Key: key,
      Body: createReadStream(path),
      ContentLength: size,
    });
    await this.client.send(command).catch(unavailableOr);
    return { size };
  }

  /** The SDK's multipart uploader; on failure it aborts the upload (the store keeps no parts). */
  private async upload(key: string, body: ReadableStream<Uint8Array> | NodeJS.ReadableStream): Promise<void> {
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: key, Body: body as ReadableStream },
      partSize: this.partBytes,
      queueSize: 2,
    });
    await upload.done().catch(unavailableOr);
  }

  async open(key: string): Promise<StoredBlob | undefined> {
    assertBlobKey(key);
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      const body = object.Body;
      if (body === undefined) return undefined;
      return { size: object.ContentLength ?? 0, stream: () => body.transformToWebStream() };
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      return unavailableOr(error);
    }
  }

  async delete(key: string): Promise<void> {
    assertBlobKey(key);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key })).catch(unavailableOr);
  }

  /** Every key in the bucket (for audits and tests; the reaper works from its claims). */
  async *keys(): AsyncIterable<string> {
    for await (const page of paginateListObjectsV2({ client: this.client }, { Bucket: this.bucket })) {
      for (const object of page.Contents ?? []) if (object.Key !== undefined) yield object.Key;
    }
  }

  /**
   * Stale local scratch files, and multipart uploads started before `olderThan` and never
   * completed (a crash mid-upload): aborting frees their parts.
   */
  async sweepScratch(olderThan: Date): Promise<number> {
    let removed = await this.scratch.sweepScratch(olderThan);
    for (const upload of await this.unfinishedUploads()) {
      if (upload.started >= olderThan) continue;
      await this.client
        .send(
          new AbortMultipartUploadCommand({
            Bucket: this.bucket,
            Key: upload.key,
            UploadId: upload.uploadId,
          }),
        )
        .catch(unavailableOr);
      removed++;
    }
    return removed;
  }

  /** Multipart uploads begun and neither completed nor aborted. */
  async unfinishedUploads(): Promise<{ key: string; uploadId: string; started: Date }[]> {
    const found: { key: string; uploadId: string; started: Date }[] = [];
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    for (;;) {
      const page = await this.client
        .send(
          new ListMultipartUploadsCommand({
            Bucket: this.bucket,
            KeyMarker: keyMarker,
            UploadIdMarker: uploadIdMarker,
          }),
        )
        .catch(unavailableOr);
      for (const upload of page.Uploads ?? []) {
        if (upload.Key === undefined || upload.UploadId === undefined) continue;
        found.push({ key: upload.Key, uploadId: upload.UploadId, started: upload.Initiated ?? new Date(0) });
      }
      if (!page.IsTruncated) return found;
      keyMarker = page.NextKeyMarker;
      uploadIdMarker = page.NextUploadIdMarker;
    }
  }

  async ping(): Promise<void> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.bucket })).catch(unavailableOr);
  }

  close(): void {
    this.client.destroy();
  }
}

function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
}

/**
 * Rethrows `error` as `unavailable` when the store could not be reached or failed (5xx, a
 * connection refused or reset, a timeout); anything else — a refusal, or the body's own error
 * (an undecodable image) — as it is.
 */
function unavailableOr(error: unknown): never {
  if (error instanceof DomainError) throw error;
  const status = statusOf(error);
  const fault = (error as { $fault?: unknown } | null)?.$fault;
  const code = (error as { code?: unknown } | null)?.code;
  const name = error instanceof Error ? error.name : "";
  const network =
    (typeof code === "string" && /^(E[A-Z]+|UND_ERR_[A-Z_]+)$/.test(code) && code !== "ENOENT") ||
    name === "TimeoutError" ||
    name === "RequestTimeout";
  if (network || fault === "server" || (status !== undefined && status >= 500)) {
    throw new DomainError("unavailable", "the image store is unavailable; try again shortly", {
      reason: "blob-store-unavailable",
      retryAfterSeconds: RETRY_AFTER_SECONDS,
      cause: error,
    });
  }
  throw error;
}
