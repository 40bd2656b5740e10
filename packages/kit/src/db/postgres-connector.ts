import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import type { Database, DatabaseConnector, DatabaseHandle } from "./types.ts";

/**
 * Real PostgreSQL through the `postgres` driver. One connection pool per connector, shared by
 * every handle; the pool ends when the last handle closes (or the connector does).
 */
export function createPostgresConnector(opts: { url: string; max?: number }): DatabaseConnector {
  let client: postgres.Sql | undefined;
  let db: Database | undefined;
  let openHandles = 0;

  async function end(): Promise<void> {
    const ending = client;
    client = undefined;
    db = undefined;
    openHandles = 0;
    await ending?.end({ timeout: 5 });
  }

  return {
    async connect(): Promise<DatabaseHandle> {
      if (client === undefined || db === undefined) {
        // onnotice: keep "schema already exists, skipping" and friends out of stdout.
        client = postgres(opts.url, { max: opts.max ?? 10, onnotice: () => {} });
        db = drizzle({ client });
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
