import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { etagOf } from "../domain/renditions.ts";
import { createTestbed, type Testbed } from "../testing/testbed.ts";
import { S3BlobStore } from "./s3-blob-store.ts";

// image-service with its files in a real S3-compatible server (SeaweedFS): TEST_S3_ENDPOINT and keys.
const endpoint = process.env.TEST_S3_ENDPOINT;
const accessKeyId = process.env.TEST_S3_ACCESS_KEY_ID;
const secretAccessKey = process.env.TEST_S3_SECRET_ACCESS_KEY;
if (!endpoint || !accessKeyId || !secretAccessKey) {
  throw new Error("TEST_S3_ENDPOINT, TEST_S3_ACCESS_KEY_ID and TEST_S3_SECRET_ACCESS_KEY are not set");
}
const credentials = { accessKeyId, secretAccessKey };

let scratchDir: string;

async function bedOnNewBucket(presignSeconds?: number): Promise<{ bed: Testbed; store: S3BlobStore }> {
  const bucket = `svc-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const client = new S3Client({ endpoint, region: "us-east-1", credentials, forcePathStyle: true });
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  client.destroy();
  const store = new S3BlobStore({
    endpoint,
    bucket,
    region: "us-east-1",
    credentials,
    forcePathStyle: true,
    scratchDir: await mkdtemp(join(scratchDir, "bed-")),
    presignSeconds,
  });
  return { bed: await createTestbed({ blobs: store }), store };
}

async function bytesOf(store: S3BlobStore, key: string): Promise<Buffer> {
  const blob = await store.open(key);
  if (blob === undefined) throw new Error(`${key} is not stored`);
  return Buffer.from(await new Response(blob.stream()).arrayBuffer());
}

beforeAll(async () => {
  scratchDir = await mkdtemp(join(tmpdir(), "image-s3-"));
});

afterAll(async () => {
  await rm(scratchDir, { recursive: true, force: true });
});

describe("image-service with its files in S3", () => {
  let bed: Testbed;
  let store: S3BlobStore;

  beforeAll(async () => {
    ({ bed, store } = await bedOnNewBucket());
  });

  afterAll(async () => {
    await bed?.close();
    store?.close();
  });

  it("stores both renditions as objects and streams them back with the same headers", async () => {
    const owner = await bed.createUser("ann");
    const id = await bed.post(owner, "#sea");
    expect(await bed.blobFiles()).toEqual([`${id}.original`, `${id}.thumbnail`]);

    const content = await bed.app.request(`/v1/images/${id}/content`);
    expect(content.status).toBe(200);
    expect(content.headers.get("content-type")).toBe("image/jpeg");
    expect(content.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const etag = content.headers.get("etag");
    expect(etag).toMatch(/^"[^"]+"$/); // strong
    const body = Buffer.from(await content.arrayBuffer());
    expect(content.headers.get("content-length")).toBe(String(body.length));
    expect(body.equals(await bytesOf(store, `${id}.original`))).toBe(true);

    const again = await bed.app.request(`/v1/images/${id}/content`, { headers: { "if-none-match": etag! } });
    expect(again.status).toBe(304);
    const thumbnail = await bed.app.request(`/v1/images/${id}/content?size=thumbnail`);
    expect(Buffer.from(await thumbnail.arrayBuffer()).equals(await bytesOf(store, `${id}.thumbnail`))).toBe(
      true,
    );
  });

  it("removes the objects of a deleted account's images through the reaper", async () => {
    const owner = await bed.createUser("bob");
    const id = await bed.post(owner);
    expect((await bed.blobFiles()).filter((key) => key.startsWith(id))).toHaveLength(2);
    await bed.deleteUser(owner, "bob");
    expect((await bed.blobFiles()).filter((key) => key.startsWith(id))).toEqual([]);
    expect((await bed.app.request(`/v1/images/${id}/content`)).status).toBe(404);
  });
});

describe("image-service serving content by presigned URLs", () => {
  let bed: Testbed;
  let store: S3BlobStore;

  beforeAll(async () => {
    ({ bed, store } = await bedOnNewBucket(60));
  });

  afterAll(async () => {
    await bed?.close();
    store?.close();
  });

  it("redirects to a short-lived URL the store answers with the image", async () => {
    const owner = await bed.createUser("cat");
    const id = await bed.post(owner);
    const content = await bed.app.request(`/v1/images/${id}/content`);
    expect(content.status).toBe(307);
    expect(content.headers.get("cache-control")).toBe("private, max-age=60");
    const location = content.headers.get("location");
    expect(location).toContain(`${id}.original`);
    const direct = await fetch(location!);
    expect(direct.status).toBe(200);
    expect(direct.headers.get("content-type")).toBe("image/jpeg");
    expect(Buffer.from(await direct.arrayBuffer()).equals(await bytesOf(store, `${id}.original`))).toBe(true);
    // A client holding the image is still answered 304, without a redirect.
    const cached = await bed.app.request(`/v1/images/${id}/content`, {
      headers: { "if-none-match": etagOf(id, "original") },
    });
    expect(cached.status).toBe(304);
  });
});
