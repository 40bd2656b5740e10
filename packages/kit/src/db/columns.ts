import { type AnyPgColumn, timestamp, uuid } from "drizzle-orm/pg-core";

// The column kinds every service's tables are made of, so each is written (and migrated) one way.

/** The row's own uuid, its primary key. */
export function idColumn() {
  return uuid("id").primaryKey();
}

/** A point in time: always `timestamptz`; `precision: 3` where a cursor carries it as a JS Date. */
export function instantColumn(name: string, opts: { precision?: 3 } = {}) {
  return timestamp(name, { withTimezone: true, ...opts });
}

/** When the row was written, set by the database. */
export function createdAtColumn(name = "created_at") {
  return instantColumn(name).notNull().defaultNow();
}

/** The uuid of the row this one belongs to: deleting that row deletes this one with it. */
export function belongsToColumn(name: string, parent: () => AnyPgColumn) {
  return uuid(name).notNull().references(parent, { onDelete: "cascade" });
}
