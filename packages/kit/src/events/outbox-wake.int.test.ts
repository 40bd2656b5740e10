import { sql } from "drizzle-orm";
import pino from "pino";
import { describe, expect, it, vi } from "vitest";
import { newId } from "../db/ids.ts";
import { outboxChannel } from "../db/outbox-table.ts";
import { rowsOf } from "../db/rows.ts";
import type { Database } from "../db/types.ts";
import { startConsumer } from "./consumer.ts";
import { createInProcessBus } from "./in-process-bus.ts";
import { startOutboxRelay } from "./outbox-relay.ts";
import { openTestDatabase } from "./test-fixtures/database.ts";
import { countFollowers, followersOf, publishFollow } from "./test-fixtures/follows.ts";
import { inbox, outbox } from "./test-fixtures/schema.ts";
import { describeWakeUp } from "./test-fixtures/wake-up-suite.ts";

// Real PostgreSQL (TEST_DATABASE_URL); the bus is the in-process one: what is measured is the relay.
const databaseUrl = process.env.TEST_DATABASE_URL;
const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });

function url(): string {
  if (databaseUrl === undefined)
    throw new Error("TEST_DATABASE_URL is not set: the integration tests need it");
  return databaseUrl;
}

describeWakeUp("outbox relay wake-up on PostgreSQL", {
  openDatabase: () => openTestDatabase(url()),
  openBus: async () => createInProcessBus(),
});

/** Backends LISTENing to the test outbox's channel (their last statement was the LISTEN). */
async function listeners(db: Database): Promise<number[]> {
  const rows = rowsOf(
    await db.execute(
      sql`select pid from pg_stat_activity
          where datname = current_database() and query = ${`listen "${outboxChannel(outbox)}"`}`,
    ),
  );
  return rows.map((row) => Number(row.pid));
}

describe("outbox relay after its LISTEN connection is killed", () => {
  it("re-listens, delivers what was committed meanwhile, and is woken again", async () => {
    const database = await openTestDatabase(url());
    const bus = createInProcessBus();
    const consumer = await startConsumer({
      name: `kit-wake-${newId()}`,
      db: database.db,
      inbox,
      bus,
      handlers: countFollowers,
      logger,
    });
    const relay = startOutboxRelay({
      db: database.db,
      table: outbox,
      bus,
      logger,
      pollIntervalMs: 60_000,
      fallbackPollIntervalMs: 60_000,
    });
    try {
      const [warm, meanwhile, after] = [newId(), newId(), newId()];
      await publishFollow(database.db, newId(), warm);
      await vi.waitFor(async () => expect(await followersOf(database.db, warm)).toBe(1), { timeout: 5_000 });
      const [killed] = await listeners(database.db);
      expect(killed).toBeDefined();

      await database.db.execute(sql`select pg_terminate_backend(${killed})`);
      // Committed while the relay's LISTEN is gone (or coming back): found by its catch-up look.
      await publishFollow(database.db, newId(), meanwhile);
      await vi.waitFor(async () => expect(await followersOf(database.db, meanwhile)).toBe(1), {
        timeout: 5_000,
        interval: 10,
      });
      await vi.waitFor(async () => {
        const now = await listeners(database.db);
        expect(now).toHaveLength(1);
        expect(now).not.toContain(killed);
      });

      const since = performance.now();
      await publishFollow(database.db, newId(), after);
      await vi.waitFor(async () => expect(await followersOf(database.db, after)).toBe(1), {
        timeout: 5_000,
        interval: 5,
      });
      expect(performance.now() - since).toBeLessThan(1_000);
    } finally {
      await consumer.stop();
      await relay.stop();
      await bus.close();
      await database.close();
    }
  }, 60_000);
});
