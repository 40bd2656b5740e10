import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { migrate } from "./migrate.ts";
import type { Database } from "./types.ts";

/** A statement drizzle sent, with its plan as EXPLAIN (ANALYZE, BUFFERS) printed it. */
export interface ExplainedStatement {
  query: string;
  params: unknown[];
  plan: string[];
}

/** A throwaway PostgreSQL database for measurements, migrated with one service's schema. */
export interface ScratchDatabase {
  /** The driver itself, for raw SQL (seeding, sizes). */
  client: postgres.Sql;
  /** Drizzle over it: pass it to the service's db/ functions. */
  db: Database;
  /**
   * The plans of the statements `run` sends through `db`, each executed under EXPLAIN ANALYZE.
   * `generic`: as a cached prepared statement plans them (parameters unknown at planning).
   */
  explain(run: () => Promise<unknown>, opts?: { generic?: boolean }): Promise<ExplainedStatement[]>;
  /** Drops the database (and ends both connections). */
  drop(): Promise<void>;
}

/**
 * Creates `<prefix>_<now>` beside the database of `baseUrl` (the role needs CREATEDB) and applies
 * the service's migrations to it.
 */
export async function createScratchDatabase(
  baseUrl: string,
  opts: { prefix: string; schema: string; migrationsFolder: string },
): Promise<ScratchDatabase> {
  const name = `${opts.prefix}_${Date.now()}`;
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const client = postgres(url.toString(), { max: 1, onnotice: () => {} });
  const sent: { query: string; params: unknown[] }[] = [];
  const db = drizzle({ client, logger: { logQuery: (query, params) => sent.push({ query, params }) } });

  async function planOf(query: string, params: unknown[], generic: boolean): Promise<string[]> {
    let rows: postgres.RowList<postgres.Row[]>;
    if (generic) {
      await client.unsafe(`prepare explained as ${query}`);
      rows = await client.unsafe(
        `explain (analyze, buffers) execute explained(${params.map(literal).join(", ")})`,
      );
      await client.unsafe("deallocate explained");
    } else {
      rows = await client.unsafe(
        `explain (analyze, buffers) ${query}`,
        params as postgres.ParameterOrJSON<never>[],
      );
    }
    return rows.map((row) => String(row["QUERY PLAN"]));
  }

  async function drop(): Promise<void> {
    await client.end({ timeout: 1 });
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end({ timeout: 1 });
  }
  try {
    await migrate({ db, ping: async () => {}, close: async () => {} }, opts);
  } catch (error) {
    await drop();
    throw error;
  }

  return {
    client,
    db,
    async explain(run, { generic = false } = {}) {
      sent.length = 0;
      await run();
      const statements = sent.splice(0);
      const explained: ExplainedStatement[] = [];
      for (const { query, params } of statements) {
        explained.push({ query, params, plan: await planOf(query, params, generic) });
      }
      return explained;
    },
    drop,
  };
}

function literal(value: unknown): string {
  return typeof value === "number" ? String(value) : `'${String(value).replaceAll("'", "''")}'`;
}
