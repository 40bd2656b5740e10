import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { rowsOf } from "../db/rows.ts";
import { DEFAULT_INBOX_RETENTION_MS, startInboxSweep } from "./inbox-sweep.ts";
import { openTestDatabase, type TestDatabase } from "./test-fixtures/database.ts";
import { databaseUrl, testLogger as logger, required } from "./test-fixtures/integration.ts";
import { inbox } from "./test-fixtures/schema.ts";

// The inbox sweep on real PostgreSQL: its planner reaches a consumer's expired rows through the
// (consumer, processed_at) index instead of reading every row the consumer keeps.
let database: TestDatabase;

beforeAll(async () => {
  database = await openTestDatabase(required(databaseUrl, "TEST_DATABASE_URL"));
});

afterAll(async () => {
  await database.close();
});

async function keep(consumer: string, processedAt: Date, count: number): Promise<void> {
  for (let done = 0; done < count; done += 1_000) {
    const rows = Array.from({ length: Math.min(1_000, count - done) }, () => ({
      consumer,
      eventId: crypto.randomUUID(),
      processedAt,
    }));
    await database.db.insert(inbox).values(rows);
  }
}

describe("the inbox sweep on PostgreSQL", () => {
  it("finds a busy consumer's expired rows through its index and deletes only them", async () => {
    const now = Date.now();
    const expired = new Date(now - DEFAULT_INBOX_RETENTION_MS - 3_600_000);
    await keep("busy", new Date(now - 3_600_000), 20_000);
    await keep("busy", expired, 1_500);
    await keep("quiet", expired, 300);
    await database.db.execute(sql`analyze ${inbox}`);

    // A raw statement's parameters are text: the cutoff as a timestamptz literal.
    const cutoff = new Date(now - DEFAULT_INBOX_RETENTION_MS).toISOString();
    const plan = rowsOf(
      await database.db.execute(
        sql`explain select event_id from ${inbox} where consumer = ${"busy"} and processed_at < ${cutoff}::timestamptz limit 1000`,
      ),
    )
      .map((row) => String(Object.values(row)[0]))
      .join("\n");
    expect(plan).toContain("inbox_consumer_processed_idx");

    const sweep = startInboxSweep({
      db: database.db,
      inbox,
      consumer: "busy",
      logger,
      retention: { batchSize: 400 },
    });
    const left = async () =>
      rowsOf(
        await database.db.execute(
          sql`select consumer, count(*)::int as n, min(processed_at) < ${cutoff}::timestamptz as expired from ${inbox} group by consumer order by consumer`,
        ),
      );
    await vi.waitFor(async () =>
      expect(await left()).toEqual([
        { consumer: "busy", n: 20_000, expired: false },
        { consumer: "quiet", n: 300, expired: true },
      ]),
    );
    expect(await sweep.sweep()).toBe(0);
    await sweep.stop();
  });
});
