import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateBucketCommand, ListPartsCommand, S3Client } from "@aws-sdk/client-s3";
import { isDomainError, newId } from "@instagram/kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SeaweedFs, startSeaweedFs } from "../testing/seaweedfs.ts";
import { S3BlobStore } from "./s3-blob-store.ts";
import { ScratchFile } from "./scratch-file.ts";

// A real S3-compatible server (SeaweedFS, scripts/seaweedfs.sh): TEST_S3_ENDPOINT and its keys.
const endpoint = process.env.TEST_S3_ENDPOINT;
const accessKeyId = process.env.TEST_S3_ACCESS_KEY_ID;
const secretAccessKey = process.env.TEST_S3_SECRET_ACCESS_KEY;
if (!endpoint || !accessKeyId || !secretAccessKey) {
  throw new Error(
    "TEST_S3_ENDPOINT, TEST_S3_ACCESS_KEY_ID and TEST_S3_SECRET_ACCESS_KEY are not set: these tests " +
      "need an S3-compatible server (INFRA_S3=1 bash scripts/infra.sh up, or bash scripts/seaweedfs.sh up)",
  );
}
const credentials = { accessKeyId, secretAccessKey };
const MiB = 1024 * 1024;

let scratchDir: string;
let store: S3BlobStore;

/** A bucket of its own for this run, on `at`. */
async function newBucket(at: string): Promise<string> {
  const bucket = `int-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const client = new S3Client({ endpoint: at, region: "us-east-1", credentials, forcePathStyle: true });
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  client.destroy();
  return bucket;
}

function storeOn(at: string, bucket: string, presignSeconds?: number): S3BlobStore {
  return new S3BlobStore({
    endpoint: at,
    bucket,
    region: "us-east-1",
    credentials,
    forcePathStyle: true,
    scratchDir,
    presignSeconds,
    partBytes: 5 * MiB,
  });
}

function streamOf(...chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

async function bytesOf(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  return Buffer.from(await new Response(stream).arrayBuffer());
}

const digest = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

async function keysOf(blobs: S3BlobStore): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of blobs.keys()) keys.push(key);
  return keys.sort();
}

async function scratchFileOf(bytes: Uint8Array): Promise<ScratchFile> {
  const path = store.scratchPath("original");
  await writeFile(path, bytes);
  return new ScratchFile(Promise.resolve(path));
}

beforeAll(async () => {
  scratchDir = await mkdtemp(join(tmpdir(), "s3-blob-store-"));
  store = storeOn(endpoint, await newBucket(endpoint), 60);
  await store.init();
});

afterAll(async () => {
  store?.close();
  await rm(scratchDir, { recursive: true, force: true });
});

describe("S3BlobStore on SeaweedFS", () => {
  it("stores a stream, reads it back, lists it and deletes it", async () => {
    const key = `${newId()}.original`;
    const bytes = randomBytes(300_000);
    expect(await store.put(key, streamOf(bytes.subarray(0, 1000), bytes.subarray(1000)))).toEqual({
      size: bytes.length,
    });
    const blob = await store.open(key);
    expect(blob?.size).toBe(bytes.length);
    expect(digest(await bytesOf(blob!.stream()))).toBe(digest(bytes));
    expect(await keysOf(store)).toContain(key);
    await store.delete(key);
    expect(await store.open(key)).toBeUndefined();
    expect(await keysOf(store)).not.toContain(key);
    await store.delete(key); // a missing blob: no error
  });

  it("sends a scratch file from disk, in parts when it is large", async () => {
    const small = randomBytes(64 * 1024);
    const large = randomBytes(11 * MiB + 17);
    const smallKey = `${newId()}.thumbnail`;
    const largeKey = `${newId()}.original`;
    expect(await store.put(smallKey, await scratchFileOf(small))).toEqual({ size: small.length });
    expect(await store.put(largeKey, await scratchFileOf(large))).toEqual({ size: large.length });
    expect(digest(await bytesOf((await store.open(smallKey))!.stream()))).toBe(digest(small));
    const stored = await store.open(largeKey);
    expect(stored?.size).toBe(large.length);
    expect(digest(await bytesOf(stored!.stream()))).toBe(digest(large));
    expect(await store.unfinishedUploads()).toEqual([]);
  });

  it("keeps nothing of a body that fails part-way, and passes its error on", async () => {
    const key = `${newId()}.original`;
    const refusal = new Error("undecodable");
    let sent = 0;
    const failing = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 7 * MiB) return controller.error(refusal);
        sent += MiB;
        controller.enqueue(randomBytes(MiB));
      },
    });
    await expect(store.put(key, failing)).rejects.toBe(refusal);
    expect(await store.open(key)).toBeUndefined();
    expect(await store.unfinishedUploads()).toEqual([]);
  });

  it("answers an unknown key with undefined", async () => {
    expect(await store.open(`${newId()}.original`)).toBeUndefined();
  });

  it("presigns a short-lived URL that serves the object with its content type", async () => {
    const key = `${newId()}.original`;
    const bytes = randomBytes(2048);
    await store.put(key, streamOf(bytes));
    const url = await store.presignedUrl!(key, "image/png");
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/png");
    expect(digest(Buffer.from(await response.arrayBuffer()))).toBe(digest(bytes));
  });

  it("reports a store it cannot reach as unavailable", async () => {
    const gone = storeOn("http://127.0.0.1:9", "nothing");
    try {
      const failure = await gone.ping().catch((error: unknown) => error);
      expect(isDomainError(failure, "unavailable")).toBe(true);
      const open = await gone.open(`${newId()}.original`).catch((error: unknown) => error);
      expect(isDomainError(open, "unavailable")).toBe(true);
    } finally {
      gone.close();
    }
  });
});

describe("S3BlobStore when SeaweedFS dies mid-upload", () => {
  let seaweed: SeaweedFs;
  let own: S3BlobStore;
  let bucket: string;

  beforeAll(async () => {
    seaweed = await startSeaweedFs({ accessKey: accessKeyId, secretKey: secretAccessKey });
    bucket = await newBucket(seaweed.endpoint);
    own = storeOn(seaweed.endpoint, bucket);
  }, 180_000);

  afterAll(async () => {
    own?.close();
    await seaweed?.remove();
  }, 60_000);

  it("fails as unavailable, leaves no object, and the next upload succeeds", {
    timeout: 180_000,
  }, async () => {
    const key = `${newId()}.original`;
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let sent = 0;
    // Six MiB (one whole part goes out), then the body waits for the kill, then three more.
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (sent === 6) await released;
        if (sent === 9) return controller.close();
        sent++;
        controller.enqueue(randomBytes(MiB));
      },
    });
    const putting = own.put(key, body).catch((error: unknown) => error);
    const client = new S3Client({
      endpoint: seaweed.endpoint,
      region: "us-east-1",
      credentials,
      forcePathStyle: true,
    });
    try {
      // Wait until the store holds a part of the upload: it is really half-way.
      await eventually(async () => {
        const [upload] = await own.unfinishedUploads();
        expect(upload).toBeDefined();
        const parts = await client.send(
          new ListPartsCommand({ Bucket: bucket, Key: upload!.key, UploadId: upload!.uploadId }),
        );
        expect(parts.Parts?.length ?? 0).toBeGreaterThan(0);
      });
      await seaweed.kill();
      release();
      const failure = await putting;
      expect(isDomainError(failure, "unavailable")).toBe(true);

      await seaweed.start();
      // Nothing half-written is readable; the unfinished upload is swept once stale.
      expect(await own.open(key)).toBeUndefined();
      expect(await keysOf(own)).toEqual([]);
      await own.sweepScratch(new Date(Date.now() + 60_000));
      expect(await own.unfinishedUploads()).toEqual([]);

      const next = randomBytes(7 * MiB);
      expect(await own.put(key, streamOf(next))).toEqual({ size: next.length });
      expect(digest(await bytesOf((await own.open(key))!.stream()))).toBe(digest(next));
      expect(await keysOf(own)).toEqual([key]);
    } finally {
      release();
      client.destroy();
    }
  });
});

async function eventually(check: () => Promise<void>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
