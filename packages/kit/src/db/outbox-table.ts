import { sql } from "drizzle-orm";
import {
  bigserial,
  customType,
  getTableConfig,
  index,
  jsonb,
  type PgSchema,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";
import { channelName } from "./notifications.ts";

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => "bytea",
  // postgres-js hands back a Buffer; services only ever see a plain Uint8Array view.
  fromDriver: (value) => new Uint8Array(value.buffer, value.byteOffset, value.byteLength),
});

function defineOutbox(schema: PgSchema) {
  return schema.table(
    "outbox",
    {
      seq: bigserial("seq", { mode: "number" }).primaryKey(),
      id: uuid("id").notNull().unique(),
      topic: text("topic").notNull(),
      type: text("type").notNull(),
      aggregateId: text("aggregate_id").notNull(),
      payload: bytea("payload").notNull(),
      headers: jsonb("headers").$type<Record<string, string>>().notNull().default({}),
      occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull(),
      sentAt: timestamp("sent_at", { withTimezone: true }),
    },
    (table) => [index("outbox_unsent_idx").on(table.seq).where(sql`${table.sentAt} is null`)],
  );
}

/** The events a service has published in its transactions, waiting for the relay. */
export type OutboxTable = ReturnType<typeof defineOutbox>;

export function outboxTable(schema: PgSchema): OutboxTable {
  return defineOutbox(schema);
}

/** The NOTIFY channel that wakes the relay of an outbox: one per schema, e.g. "outbox_users". */
export function outboxChannel(table: OutboxTable): string {
  return channelName("outbox", getTableConfig(table).schema ?? "public");
}
