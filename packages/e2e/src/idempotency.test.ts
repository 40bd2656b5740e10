import { beforeAll, describe, expect, it } from "vitest";
import type { Client, Comment, Image, Reply } from "./client.ts";
import { postPicture } from "./gallery.ts";
import { newPeople, type Person } from "./people.ts";
import { expectProblem } from "./problems.ts";
import { gateway } from "./stack.ts";
import { picture } from "./test-images.ts";

/** POST a comment with this Idempotency-Key. */
function comment(client: Client, imageId: string, text: string, key: string): Promise<Reply<Comment>> {
  return client.call("POST", `/v1/images/${encodeURIComponent(imageId)}/comments`, {
    json: { text },
    headers: { "idempotency-key": key },
  });
}

/** POST /v1/images as multipart/form-data with this Idempotency-Key. */
async function upload(
  client: Client,
  bytes: Uint8Array,
  caption: string,
  key: string,
): Promise<Reply<Image>> {
  const form = new FormData();
  form.append("caption", caption);
  form.append("file", new Blob([new Uint8Array(bytes)], { type: "image/png" }), "picture.png");
  const response = await fetch(new URL("/v1/images", client.baseUrl), {
    method: "POST",
    headers: { accept: "application/json", authorization: `Bearer ${client.token}`, "idempotency-key": key },
    body: form,
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? JSON.parse(text) : undefined,
    text,
  };
}

describe("Idempotency-Key", () => {
  const api = gateway();
  let owner: Person;
  let writer: Person;
  beforeAll(async () => {
    [owner, writer] = (await newPeople(api, 2, { prefix: "idem" })) as [Person, Person];
  });

  it("answers a retried comment with the first one (201, same body) and stores one comment", async () => {
    const image = await postPicture(owner.client, "retry me");
    const key = `c-${crypto.randomUUID()}`;
    const first = await comment(writer.client, image.id, "only once #retry", key);
    expect(first.status, first.text).toBe(201);
    const retry = await comment(writer.client, image.id, "only once #retry", key);
    expect(retry.status, retry.text).toBe(201);
    expect(retry.body).toEqual(first.body);
    const listed = await writer.client.comments(image.id);
    expect(listed.body.items.map((c) => c.id)).toEqual([first.body.id]);

    expectProblem(await comment(writer.client, image.id, "something else", key), 409);
    const byOwner = await comment(owner.client, image.id, "only once #retry", key);
    expect(byOwner.status, byOwner.text).toBe(201);
    expect(byOwner.body.id).not.toBe(first.body.id);
  });

  it("answers a retried upload with the first image (201, same body and Location)", async () => {
    const bytes = await picture("png", 40, 30);
    const key = `u-${crypto.randomUUID()}`;
    const first = await upload(owner.client, bytes, "one upload", key);
    expect(first.status, first.text).toBe(201);
    const retry = await upload(owner.client, bytes, "one upload", key);
    expect(retry.status, retry.text).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get("location")).toBe(first.headers.get("location"));
    expectProblem(await upload(owner.client, bytes, "another caption", key), 409);
  });

  it("makes one comment and one image when the same request comes several times at once", async () => {
    const image = await postPicture(owner.client, "race");
    const commentKey = `c-${crypto.randomUUID()}`;
    const comments = await Promise.all(
      Array.from({ length: 5 }, () => comment(writer.client, image.id, "at once", commentKey)),
    );
    expect(comments.map((reply) => reply.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(comments.map((reply) => reply.body.id)).size).toBe(1);
    expect((await writer.client.comments(image.id)).body.items).toHaveLength(1);

    const bytes = await picture("png", 24, 24);
    const uploadKey = `u-${crypto.randomUUID()}`;
    const uploads = await Promise.all(
      Array.from({ length: 3 }, () => upload(owner.client, bytes, "at once", uploadKey)),
    );
    expect(uploads.map((reply) => reply.status)).toEqual([201, 201, 201]);
    expect(new Set(uploads.map((reply) => reply.body.id)).size).toBe(1);
  });

  it("refuses a malformed key with a 400 problem on both routes", async () => {
    const image = await postPicture(owner.client);
    for (const key of ["k".repeat(256), "tab\tinside"]) {
      expectProblem(await comment(writer.client, image.id, "hi", key), 400);
      expectProblem(await upload(owner.client, await picture("png", 8, 8), "", key), 400);
    }
    const listed = await writer.client.comments(image.id);
    expect(listed.body.items).toEqual([]);
  });
});
