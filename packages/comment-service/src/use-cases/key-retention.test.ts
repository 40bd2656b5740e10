import { createLogger, IDEMPOTENCY_KEY_RETENTION_MS, newId } from "@instagram/kit";
import { inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { comments } from "../db/schema/index.ts";
import { createTestbed, type Testbed } from "../testing/testbed.ts";
import { startCommentKeySweep } from "./key-retention.ts";

let f: Testbed;

beforeAll(async () => {
  f = await createTestbed();
}, 120_000);

afterAll(async () => {
  await f.close();
});

describe("the sweep of comments' Idempotency-Keys", () => {
  it("forgets a key past the retention, keeps a live one, and keeps both comments", async () => {
    const now = new Date();
    const keyed = (key: string, ageMs: number) => ({
      id: newId(),
      imageId: newId(),
      authorId: newId(),
      text: "keyed",
      createdAt: new Date(now.getTime() - ageMs),
      idempotencyKey: key,
    });
    const expired = keyed("k-expired", IDEMPOTENCY_KEY_RETENTION_MS + 60_000);
    const live = keyed("k-live", IDEMPOTENCY_KEY_RETENTION_MS - 60_000);
    await f.db.insert(comments).values([expired, live]);

    const sweep = startCommentKeySweep({
      db: f.db,
      logger: createLogger({ service: "comment-test", level: "silent" }),
      now: () => now,
    });
    await sweep.stop(); // the sweep at start has run
    expect(await sweep.sweep()).toBe(0);

    const rows = await f.db
      .select({ id: comments.id, key: comments.idempotencyKey })
      .from(comments)
      .where(inArray(comments.id, [expired.id, live.id]));
    expect(Object.fromEntries(rows.map((row) => [row.id, row.key]))).toEqual({
      [expired.id]: null,
      [live.id]: "k-live",
    });
  });
});
