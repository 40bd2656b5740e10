import { Code } from "@connectrpc/connect";
import { newId } from "@instagram/kit";
import { connectFailure as failure } from "@instagram/kit/testing";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { comments } from "../db/schema/index.ts";
import { createTestbed, type Testbed } from "../testing/testbed.ts";

let f: Testbed;

beforeAll(async () => {
  f = await createTestbed();
}, 120_000);

afterAll(async () => {
  await f.close();
});

/** Call options as `userId`, with this Idempotency-Key. */
async function withKey(userId: string, key: string) {
  const options = await f.as(userId, "kim");
  return { headers: { ...options.headers, "idempotency-key": key } };
}

async function commentsOn(imageId: string) {
  return f.db.select().from(comments).where(eq(comments.imageId, imageId));
}

describe("CreateComment with an Idempotency-Key", () => {
  it("answers a retry with the first comment: one row, one comments.CREATED", async () => {
    const image = await f.imageOf(newId());
    const author = newId();
    const first = await f.client.createComment(
      { imageId: image, text: "once #only" },
      await withKey(author, "k-1"),
    );
    const retry = await f.client.createComment(
      { imageId: image, text: "once #only" },
      await withKey(author, "k-1"),
    );
    expect(retry).toEqual(first);
    expect(await commentsOn(image)).toHaveLength(1);
    expect(await f.published(image)).toHaveLength(1);
  });

  it("makes one comment when the same key arrives twice at once", async () => {
    const image = await f.imageOf(newId());
    const options = await withKey(newId(), "k-race");
    const [a, b] = await Promise.all([
      f.client.createComment({ imageId: image, text: "race" }, options),
      f.client.createComment({ imageId: image, text: "race" }, options),
    ]);
    expect(a.comment?.id).toBe(b.comment?.id);
    expect(await commentsOn(image)).toHaveLength(1);
  });

  it("refuses the same key with another text or image as a conflict, and writes nothing", async () => {
    const image = await f.imageOf(newId());
    const other = await f.imageOf(newId());
    const author = newId();
    await f.client.createComment({ imageId: image, text: "first" }, await withKey(author, "k-2"));
    for (const [imageId, text] of [
      [image, "second"],
      [other, "first"],
    ] as const) {
      const error = await failure(f.client.createComment({ imageId, text }, await withKey(author, "k-2")));
      expect(error.code).toBe(Code.AlreadyExists);
      expect(error.rawMessage).toBe("the Idempotency-Key was used for another request");
    }
    expect(await commentsOn(image)).toHaveLength(1);
    expect(await commentsOn(other)).toHaveLength(0);
  });

  it("lets different authors use the same key, and makes a new comment without a key", async () => {
    const image = await f.imageOf(newId());
    const a = await f.client.createComment(
      { imageId: image, text: "same" },
      await withKey(newId(), "shared"),
    );
    const b = await f.client.createComment(
      { imageId: image, text: "same" },
      await withKey(newId(), "shared"),
    );
    expect(a.comment?.id).not.toBe(b.comment?.id);
    const author = newId();
    await f.client.createComment({ imageId: image, text: "plain" }, await f.as(author));
    await f.client.createComment({ imageId: image, text: "plain" }, await f.as(author));
    expect(await commentsOn(image)).toHaveLength(4);
  });

  it("forgets a key after 24 hours: the same request then makes a new comment", async () => {
    const image = await f.imageOf(newId());
    const author = newId();
    const first = await f.client.createComment(
      { imageId: image, text: "again" },
      await withKey(author, "k-old"),
    );
    await f.db
      .update(comments)
      .set({ createdAt: sql`${comments.createdAt} - interval '25 hours'` })
      .where(eq(comments.id, first.comment?.id ?? ""));
    const later = await f.client.createComment(
      { imageId: image, text: "again" },
      await withKey(author, "k-old"),
    );
    expect(later.comment?.id).not.toBe(first.comment?.id);
    expect(await commentsOn(image)).toHaveLength(2);
  });

  it("refuses a malformed key as invalid input", async () => {
    const image = await f.imageOf(newId());
    for (const key of ["", "k".repeat(256), "naïve"]) {
      const error = await failure(
        f.client.createComment({ imageId: image, text: "hi" }, await withKey(newId(), key)),
      );
      expect(error.code).toBe(Code.InvalidArgument);
    }
    expect(await commentsOn(image)).toHaveLength(0);
  });
});
