import { sql } from "drizzle-orm";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { rowsOf } from "./rows.ts";
import type { DatabaseHandle } from "./types.ts";

const MIGRATIONS_TABLE = "__drizzle_migrations";
// Every service's migrations take this one lock: concurrent `CREATE SCHEMA IF NOT EXISTS` (and two
// replicas of one service migrating at once) otherwise race inside Postgres' catalogs.
const MIGRATION_LOCK_KEY = 727_001_001;

/**
 * Applies the drizzle-kit migrations in `migrationsFolder` that the schema has not seen yet.
 * Same bookkeeping as drizzle's migrator (`<schema>.__drizzle_migrations`: hash, created_at =
 * the journal's `when`), but run in ONE transaction under an advisory lock, which drizzle's own
 * migrator cannot do: it creates its schema and table outside its transaction.
 */
export async function migrate(
  handle: DatabaseHandle,
  opts: { schema: string; migrationsFolder: string },
): Promise<void> {
  const migrations = readMigrationFiles({ migrationsFolder: opts.migrationsFolder });
  const table = sql`${sql.identifier(opts.schema)}.${sql.identifier(MIGRATIONS_TABLE)}`;
  await handle.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${sql.raw(String(MIGRATION_LOCK_KEY))})`);
    await tx.execute(sql`create schema if not exists ${sql.identifier(opts.schema)}`);
    await tx.execute(
      sql`create table if not exists ${table} (id serial primary key, hash text not null, created_at bigint)`,
    );
    const [last] = rowsOf(
      await tx.execute(sql`select created_at from ${table} order by created_at desc limit 1`),
    );
    const appliedUntil = last === undefined ? Number.NEGATIVE_INFINITY : Number(last.created_at);
    for (const migration of migrations) {
      if (migration.folderMillis <= appliedUntil) continue;
      for (const statement of migration.sql) {
        if (statement.trim() !== "") await tx.execute(sql.raw(tolerateOwnSchema(statement)));
      }
      await tx.execute(
        sql`insert into ${table} (hash, created_at) values (${migration.hash}, ${migration.folderMillis})`,
      );
    }
  });
}

/**
 * drizzle-kit writes `CREATE SCHEMA "auth";` as a service's first statement, but the migrations
 * table already lives in that schema, so it exists by then.
 */
function tolerateOwnSchema(statement: string): string {
  return statement.replace(/^(\s*CREATE SCHEMA)(\s+)(?!IF\s+NOT\s+EXISTS)/i, "$1 IF NOT EXISTS$2");
}
