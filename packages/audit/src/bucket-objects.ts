import type { S3Client } from "@aws-sdk/client-s3";
import { type BlobFile, blobFileNamed } from "./blob-files.ts";

/** image-service's bucket when it runs with BLOB_STORE=s3 (the same S3_* settings). */
export interface BucketTarget {
  bucket: string;
  /** An S3-compatible server; unset → AWS itself. */
  endpoint?: string;
  region?: string;
  /** Unset → the AWS SDK's default credential chain. */
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle?: boolean;
}

/** Every object of the bucket (image-service keeps `<image id>.<rendition>` at its top level). */
export async function listBucketObjects(target: BucketTarget): Promise<BlobFile[]> {
  const { paginateListObjectsV2 } = await import("@aws-sdk/client-s3");
  const client = await clientOf(target);
  try {
    const files: BlobFile[] = [];
    for await (const page of paginateListObjectsV2({ client }, { Bucket: target.bucket })) {
      for (const object of page.Contents ?? []) {
        if (object.Key !== undefined) files.push(blobFileNamed(object.Key, object.Key));
      }
    }
    return files;
  } finally {
    client.destroy();
  }
}

/** Multipart uploads begun before `before` and never completed: what a crash mid-upload left. */
export async function staleUploads(target: BucketTarget, before: Date): Promise<string[]> {
  const { ListMultipartUploadsCommand } = await import("@aws-sdk/client-s3");
  const client = await clientOf(target);
  try {
    const stale: string[] = [];
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    for (;;) {
      const page = await client.send(
        new ListMultipartUploadsCommand({
          Bucket: target.bucket,
          KeyMarker: keyMarker,
          UploadIdMarker: uploadIdMarker,
        }),
      );
      for (const upload of page.Uploads ?? []) {
        if (upload.Key !== undefined && (upload.Initiated ?? new Date(0)) < before) stale.push(upload.Key);
      }
      if (!page.IsTruncated) return stale;
      keyMarker = page.NextKeyMarker;
      uploadIdMarker = page.NextUploadIdMarker;
    }
  } finally {
    client.destroy();
  }
}

/** The bucket named by image-service's variables when BLOB_STORE=s3, else undefined. */
export function bucketTargetOf(env: Record<string, string | undefined>): BucketTarget | undefined {
  if (env.BLOB_STORE !== "s3" || !env.S3_BUCKET) return undefined;
  return {
    bucket: env.S3_BUCKET,
    endpoint: env.S3_ENDPOINT || undefined,
    region: env.S3_REGION || undefined,
    accessKeyId: env.S3_ACCESS_KEY_ID || undefined,
    secretAccessKey: env.S3_SECRET_ACCESS_KEY || undefined,
    forcePathStyle: /^(true|1|yes|on)$/i.test(env.S3_FORCE_PATH_STYLE ?? ""),
  };
}

// The AWS SDK is loaded only for a bucket: an audit of files never pays for it.
async function clientOf(target: BucketTarget): Promise<S3Client> {
  const { S3Client } = await import("@aws-sdk/client-s3");
  const { accessKeyId, secretAccessKey } = target;
  return new S3Client({
    endpoint: target.endpoint,
    region: target.region ?? "us-east-1",
    credentials:
      accessKeyId === undefined || secretAccessKey === undefined
        ? undefined
        : { accessKeyId, secretAccessKey },
    forcePathStyle: target.forcePathStyle ?? false,
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
}
