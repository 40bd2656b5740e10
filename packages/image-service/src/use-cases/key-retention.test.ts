import { createLogger, IDEMPOTENCY_KEY_RETENTION_MS, newId } from "@instagram/kit";
import { inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { images } from "../db/schema/index.ts";
import { createTestbed, type Testbed } from "../testing/testbed.ts";
import { startImageKeySweep } from "./key-retention.ts";

let bed: Testbed;

beforeAll(async () => {
  bed = await createTestbed();
});
afterAll(async () => {
  await bed.close();
});

describe("the sweep of images' Idempotency-Keys", () => {
  it("forgets a key past the retention, keeps a live one, and keeps both images", async () => {
    const keyed = (key: string, ageMs: number) => ({
      id: newId(),
      ownerId: newId(),
      contentType: "image/jpeg",
      width: 24,
      height: 16,
      createdAt: new Date(Date.now() - ageMs),
      idempotencyKey: key,
    });
    const expired = keyed("k-expired", IDEMPOTENCY_KEY_RETENTION_MS + 60_000);
    const live = keyed("k-live", IDEMPOTENCY_KEY_RETENTION_MS - 60_000);
    await bed.db.insert(images).values([expired, live]);

    const sweep = startImageKeySweep({
      db: bed.db,
      logger: createLogger({ service: "image-test", level: "silent" }),
    });
    await sweep.stop(); // the sweep at start has run
    expect(await sweep.sweep()).toBe(0);

    const rows = await bed.db
      .select({ id: images.id, key: images.idempotencyKey })
      .from(images)
      .where(inArray(images.id, [expired.id, live.id]));
    expect(Object.fromEntries(rows.map((row) => [row.id, row.key]))).toEqual({
      [expired.id]: null,
      [live.id]: "k-live",
    });
  });
});
