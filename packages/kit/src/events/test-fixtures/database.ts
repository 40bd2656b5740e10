import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { migrate } from "../../db/migrate.ts";
import { createPgliteConnector } from "../../db/pglite-connector.ts";
import { createPostgresConnector } from "../../db/postgres-connector.ts";
import type { Database, DatabaseConnector } from "../../db/types.ts";

export const testMigrations = fileURLToPath(new URL("./migrations", import.meta.url));

export interface TestDatabase {
  db: Database;
  close(): Promise<void>;
}

/**
 * The kit_test schema, migrated: in a fresh in-memory PGlite, or in the real Postgres at `url`
 * after dropping what an earlier run left there.
 */
export async function openTestDatabase(url?: string): Promise<TestDatabase> {
  const connector: DatabaseConnector =
    url === undefined ? createPgliteConnector({ memory: true }) : createPostgresConnector({ url, max: 5 });
  const handle = await connector.connect();
  if (url !== undefined) await handle.db.execute(sql`drop schema if exists kit_test cascade`);
  await migrate(handle, { schema: "kit_test", migrationsFolder: testMigrations });
  return {
    db: handle.db,
    async close() {
      await handle.close();
      await connector.close();
    },
  };
}
