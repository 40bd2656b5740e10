// Distributed mode with BLOB_STORE=s3 only (vitest.distributed.config.ts): images in SeaweedFS,
// and SeaweedFS killed while an upload is under way.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { eventually } from "./eventually.ts";
import { expectNoOrphans } from "./orphans.ts";
import { newPerson } from "./people.ts";
import { expectProblem } from "./problems.ts";
import { gateway } from "./stack.ts";
import { streamUpload } from "./streamed-upload.ts";
import { picture } from "./test-images.ts";

const seaweedfsScript = fileURLToPath(new URL("../../../scripts/seaweedfs.sh", import.meta.url));

/** The object store the stack uses (scripts/seaweedfs.sh with this process's INFRA_* settings). */
async function objectStore(command: "kill" | "start"): Promise<void> {
  await promisify(execFile)("bash", [seaweedfsScript, command], { timeout: 150_000 });
}

/** A multipart form with `file`, whose body stops half-way until `resume` settles. */
function formPausedHalfWay(
  boundary: string,
  file: Buffer,
  resume: Promise<void>,
): ReadableStream<Uint8Array> {
  const head = Buffer.from(
    `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="sun.jpg"\r\n` +
      "content-type: image/jpeg\r\n\r\n",
  );
  const half = Math.floor(file.length / 2);
  const parts = [
    Buffer.concat([head, file.subarray(0, half)]),
    file.subarray(half),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ];
  let next = 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (next === 1) await resume;
        const part = parts[next++];
        if (part === undefined) return controller.close();
        controller.enqueue(part);
      },
    },
    { highWaterMark: 0 },
  );
}

describe("images in an S3-compatible store", () => {
  const api = gateway();

  it("stores and serves an image through the store, with the same headers as from files", async () => {
    const person = await newPerson(api, { prefix: "s3" });
    const bytes = await picture("png", 320, 200);
    const uploaded = await person.client.upload({ bytes, contentType: "image/png", caption: "#bucket" });
    expect(uploaded.status, uploaded.text).toBe(201);
    const content = await api.content(uploaded.body.id, "original");
    expect(content.status).toBe(200);
    expect(content.headers.get("content-type")).toBe("image/png");
    expect(content.headers.get("cache-control")).toContain("immutable");
    const etag = content.headers.get("etag");
    expect(etag).toMatch(/^"/);
    expect((await api.content(uploaded.body.id, "thumbnail")).status).toBe(200);
    expect((await api.content(uploaded.body.id, "original", { "if-none-match": etag! })).status).toBe(304);
    expect((await person.client.deleteImage(uploaded.body.id)).status).toBe(204);
    await expectNoOrphans(30_000);
  });

  it("answers 503 when the store dies mid-upload, keeps nothing of it, and takes the next upload", {
    timeout: 240_000,
  }, async () => {
    const person = await newPerson(api, { prefix: "s3k" });
    const bytes = await picture("jpeg", 1600, 1200);
    const boundary = `e2e-${Math.random().toString(36).slice(2)}`;
    let resume: () => void = () => {};
    const resumed = new Promise<void>((resolve) => {
      resume = resolve;
    });
    const uploading = streamUpload(new URL("/v1/images", api.baseUrl).href, {
      headers: {
        "content-type": `multipart/form-data; boundary=${boundary}`,
        authorization: `Bearer ${person.tokens.accessToken}`,
      },
      body: formPausedHalfWay(boundary, bytes, resumed),
      maxBytes: bytes.length * 2,
    });
    try {
      await objectStore("kill");
    } finally {
      resume();
    }
    let failed: Awaited<typeof uploading>;
    try {
      failed = await uploading;
    } finally {
      await objectStore("start");
    }
    expectProblem(failed.reply, 503);

    // No image came of it, and no file outlived it (the audit reads the bucket).
    const mine = await person.client.userImages(person.username);
    expect(mine.status, mine.text).toBe(200);
    expect(mine.body.items).toEqual([]);
    await expectNoOrphans(30_000);

    // The store is back: the next upload goes through (image-service may need a moment to reconnect).
    const next = await eventually(
      async () => {
        const reply = await person.client.upload({ bytes, contentType: "image/jpeg" });
        expect(reply.status, reply.text).toBe(201);
        return reply.body;
      },
      { timeoutMs: 60_000, intervalMs: 1_000 },
    );
    const content = await api.content(next.id, "original");
    expect(content.status).toBe(200);
    expect(content.headers.get("content-type")).toBe("image/jpeg");
  });
});
