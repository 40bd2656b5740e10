import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { attachNotifications } from "./notifications.ts";
import { postgresWithCallerDeadline } from "./postgres-caller-deadline.ts";
import { createPostgresNotifications, type PostgresNotifications } from "./postgres-notifications.ts";
import type { Database, DatabaseConnector, DatabaseHandle } from "./types.ts";

/** Seconds before reconnecting after `failures` failed connections: 50 ms doubling, ≤ 0.5 s, jittered. */
export function reconnectDelaySeconds(failures: number): number {
  return Math.min(0.05 * 2 ** Math.max(0, failures - 1), 0.5) * (0.75 + Math.random() / 4);
}

/**
 * Real PostgreSQL through the `postgres` driver. One connection pool per connector, shared by
 * every handle; the pool ends when the last handle closes (or the connector does). LISTEN
 * (the outbox relay's wake-up) gets one more connection, opened on first use.
 */
export function createPostgresConnector(opts: { url: string; max?: number }): DatabaseConnector {
  let client: postgres.Sql | undefined;
  let db: Database | undefined;
  let notifications: PostgresNotifications | undefined;
  let openHandles = 0;

  async function end(): Promise<void> {
    const ending = client;
    const listening = notifications;
    client = undefined;
    db = undefined;
    notifications = undefined;
    openHandles = 0;
    await Promise.all([listening?.close(), ending?.end({ timeout: 5 })]);
  }

  return {
    async connect(): Promise<DatabaseHandle> {
      if (client === undefined || db === undefined) {
        client = postgres(opts.url, {
          max: opts.max ?? 10,
          // Keep "schema already exists, skipping" and friends out of stdout.
          onnotice: () => {},
          // The driver waits backoff(n) s before reopening a connection after n failed ones, n
          // shared by the pool; its default grows to 20 s, so calls kept failing ~10 s after the
          // database returned. Capped at 0.5 s: back within a second of the database.
          backoff: reconnectDelaySeconds,
          // A database that accepts no connection (host gone, SIGSTOPped) fails a call in 5 s, not 30.
          connect_timeout: 5,
        });
        // Work for an incoming call stops at its deadline (statements cancelled, no commit).
        db = drizzle({ client: postgresWithCallerDeadline(client) });
        notifications = createPostgresNotifications(opts.url);
        attachNotifications(db, notifications);
      }
      const handleDb = db;
      openHandles++;
      let closed = false;
      return {
        db: handleDb,
        async ping() {
          await handleDb.execute(sql`select 1`);
        },
        async close() {
          if (closed) return;
          closed = true;
          openHandles--;
          if (openHandles <= 0) await end();
        },
      };
    },
    close: end,
  };
}
