import { mkdir } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/pglite";
import { attachNotifications } from "./notifications.ts";
import { pgliteWithCallerDeadline } from "./pglite-caller-deadline.ts";
import { pgliteNotifications } from "./pglite-notifications.ts";
import type { DatabaseConnector, DatabaseHandle } from "./types.ts";

export type PgliteLocation = { dataDir: string } | { memory: true };

/**
 * Embedded Postgres (PGlite, WASM): ONE instance per connector, shared by every handle (every
 * service of the embedded stack). A handle's close() leaves it open; the connector's close()
 * closes it. PGlite runs one statement or transaction at a time, so inside a transaction use
 * the transaction, never the outer db (that would wait for itself).
 */
export function createPgliteConnector(location: PgliteLocation): DatabaseConnector {
  let instance: Promise<PGlite> | undefined;

  async function open(): Promise<PGlite> {
    if ("dataDir" in location) {
      await mkdir(location.dataDir, { recursive: true });
      return PGlite.create({ dataDir: location.dataDir });
    }
    return PGlite.create();
  }

  return {
    async connect(): Promise<DatabaseHandle> {
      instance ??= open().catch((error: unknown) => {
        instance = undefined;
        throw error;
      });
      const client = await instance;
      // Work for an incoming call stops at its deadline (no statement after it, no commit).
      const db = drizzle({ client: pgliteWithCallerDeadline(client) });
      attachNotifications(db, pgliteNotifications(client));
      return {
        db,
        async ping() {
          if (client.closed) throw new Error("PGlite is closed");
          await db.execute(sql`select 1`);
        },
        async close() {},
      };
    },
    async close() {
      const opened = instance;
      instance = undefined;
      if (opened === undefined) return;
      const client = await opened;
      if (!client.closed) await client.close();
    },
  };
}
