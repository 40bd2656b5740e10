import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { attachNotifications } from "./notifications.ts";
import { createPostgresNotifications, type PostgresNotifications } from "./postgres-notifications.ts";
import type { Database, DatabaseConnector, DatabaseHandle } from "./types.ts";

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
        // onnotice: keep "schema already exists, skipping" and friends out of stdout.
        client = postgres(opts.url, { max: opts.max ?? 10, onnotice: () => {} });
        db = drizzle({ client });
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
