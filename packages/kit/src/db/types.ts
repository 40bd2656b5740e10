import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";

/** A drizzle database over either driver (postgres-js in distributed mode, PGlite embedded). */
export type Database = PgDatabase<PgQueryResultHKT>;
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** What repositories take: the database itself or an open transaction. */
export type Executor = Database | Transaction;

export interface DatabaseHandle {
  db: Database;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** One per process; every handle it gives shares its connections (or its one PGlite). */
export interface DatabaseConnector {
  connect(): Promise<DatabaseHandle>;
  /** Closes what the handles share; call once, after every handle is done. */
  close(): Promise<void>;
}
