import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blobClaims, images } from "../db/schema/index.ts";
import { photoJpeg } from "../processing/test-images.ts";
import { createTestbed, type Testbed } from "../testing/testbed.ts";

let bed: Testbed;

beforeAll(async () => {
  bed = await createTestbed();
});
afterAll(async () => {
  await bed.close();
});

/** A raw upload by `userId`, with this Idempotency-Key and caption. */
async function upload(userId: string, file: Uint8Array, key: string, caption = "") {
  return bed.app.request("http://image.test/internal/v1/uploads", {
    method: "POST",
    body: new Uint8Array(file),
    headers: {
      authorization: await bed.tokens.authorizationFor(userId),
      "content-type": "image/jpeg",
      "idempotency-key": key,
      "x-caption": encodeURIComponent(caption),
    },
  });
}

async function imagesOf(ownerId: string) {
  return bed.db.select({ id: images.id }).from(images).where(eq(images.ownerId, ownerId));
}

describe("an upload with an Idempotency-Key", () => {
  it("answers a retry with the first image: same status and body, one row, no files left behind", async () => {
    const owner = await bed.createUser("retrier");
    const file = await photoJpeg(64, 48);
    const first = await upload(owner, file, "up-1", "once #only");
    expect(first.status).toBe(201);
    const body = await first.json();
    const retry = await upload(owner, file, "up-1", "once #only");
    expect(retry.status).toBe(201);
    expect(await retry.json()).toEqual(body);
    expect(retry.headers.get("location")).toBe(first.headers.get("location"));
    expect(await imagesOf(owner)).toHaveLength(1);
    expect(await bed.blobFiles()).toHaveLength(
      2 * (await bed.db.select({ id: images.id }).from(images)).length,
    );
    expect(await bed.db.select().from(blobClaims)).toEqual([]);
  });

  it("refuses the same key with another caption or another image as a 409 problem", async () => {
    const owner = await bed.createUser("reuser");
    await upload(owner, await photoJpeg(64, 48), "up-2", "first");
    for (const [file, caption] of [
      [await photoJpeg(64, 48), "second"],
      [await photoJpeg(80, 40), "first"],
    ] as const) {
      const answer = await upload(owner, file, "up-2", caption);
      expect(answer.status).toBe(409);
      expect(answer.headers.get("content-type")).toBe("application/problem+json");
      expect(await answer.json()).toMatchObject({
        detail: "the Idempotency-Key was used for another request",
      });
    }
    expect(await imagesOf(owner)).toHaveLength(1);
  });

  it("lets different owners use the same key", async () => {
    const file = await photoJpeg(32, 32);
    const a = await bed.createUser("sharer_a");
    const b = await bed.createUser("sharer_b");
    expect((await upload(a, file, "shared")).status).toBe(201);
    expect((await upload(b, file, "shared")).status).toBe(201);
    expect(await imagesOf(a)).toHaveLength(1);
    expect(await imagesOf(b)).toHaveLength(1);
  });

  it("forgets a key after 24 hours: the same upload then makes a new image", async () => {
    const owner = await bed.createUser("later");
    const file = await photoJpeg(32, 32);
    const first = (await (await upload(owner, file, "up-old")).json()) as { id: string };
    await bed.db
      .update(images)
      .set({ createdAt: sql`${images.createdAt} - interval '25 hours'` })
      .where(eq(images.id, first.id));
    const later = (await (await upload(owner, file, "up-old")).json()) as { id: string };
    expect(later.id).not.toBe(first.id);
    expect(await imagesOf(owner)).toHaveLength(2);
  });

  it("refuses a malformed key with a 400 problem before storing anything", async () => {
    const owner = await bed.createUser("malformed");
    for (const key of ["k".repeat(256), "naïve"]) {
      const answer = await upload(owner, await photoJpeg(16, 16), key);
      expect(answer.status).toBe(400);
      expect(answer.headers.get("content-type")).toBe("application/problem+json");
    }
    expect(await imagesOf(owner)).toHaveLength(0);
  });
});
