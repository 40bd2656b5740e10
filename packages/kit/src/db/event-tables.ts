import type { PgSchema } from "drizzle-orm/pg-core";
import { type InboxTable, inboxTable } from "./inbox-table.ts";
import { type OutboxTable, outboxTable } from "./outbox-table.ts";

/** A service schema's outbox (what it publishes) and inbox (what its consumer already applied). */
export function eventTables(schema: PgSchema): { outbox: OutboxTable; inbox: InboxTable } {
  return { outbox: outboxTable(schema), inbox: inboxTable(schema) };
}
