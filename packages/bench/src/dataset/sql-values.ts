import { type SQL, sql } from "drizzle-orm";
import { getTableConfig, type PgColumn, type PgTable } from "drizzle-orm/pg-core";

// Rows go to the database as a few array parameters (PostgreSQL array literals, one string each)
// that `unnest` turns back into rows: one statement per chunk, the same on postgres.js and PGlite.

export function intArray(values: ArrayLike<number>, from = 0, to = values.length): string {
  let text = "{";
  for (let i = from; i < to; i++) text += i === from ? String(values[i]) : `,${values[i]}`;
  return `${text}}`;
}

const QUOTE = /["\\]/g;

export function textArray(values: readonly string[], from = 0, to = values.length): string {
  const quoted: string[] = [];
  for (let i = from; i < to; i++) quoted.push(`"${(values[i] as string).replace(QUOTE, "\\$&")}"`);
  return `{${quoted.join(",")}}`;
}

/** An instant given as epoch milliseconds (a bigint expression), exactly. */
export function instantOf(ms: SQL): SQL {
  return sql`(timestamptz 'epoch' + ${ms} * interval '1 millisecond')`;
}

/**
 * A UUIDv7 for the millisecond `ms` (a bigint expression): 48-bit time, version 7, 12 random bits,
 * variant 10, and 62 bits made from `unique` (a bigint below 2^62 that differs per row, scrambled
 * by a constant XOR), so ids never collide. Integer work only: several times cheaper than md5.
 */
export function uuidV7Of(ms: SQL, unique: SQL): SQL {
  return sql`encode(int8send((${ms} << 16) | 28672 | (random() * 4095)::int)
    || int8send(-9223372036854775808 | ((${unique}) # 2718281828459045235)), 'hex')::uuid`;
}

/** `"schema"."table"` of a service's drizzle table. */
export function tableName(table: PgTable): SQL {
  const config = getTableConfig(table);
  return config.schema === undefined
    ? sql`${sql.identifier(config.name)}`
    : sql`${sql.identifier(config.schema)}.${sql.identifier(config.name)}`;
}

/** `"schema"."table" ("a", "b", …)` for an insert, from the table's drizzle columns. */
export function insertInto(table: PgTable, columns: PgColumn[]): SQL {
  return sql`insert into ${tableName(table)} (${sql.join(
    columns.map((column) => sql.identifier(column.name)),
    sql`, `,
  )})`;
}

/** A bare column name (for SET, GROUP BY in statements that name one table). */
export function col(column: PgColumn): SQL {
  return sql`${sql.identifier(column.name)}`;
}

/** Runs `write(from, to)` over [0, total) in chunks of `size`. */
export async function inChunks(
  total: number,
  size: number,
  write: (from: number, to: number) => Promise<void>,
): Promise<void> {
  for (let from = 0; from < total; from += size) await write(from, Math.min(total, from + size));
}
