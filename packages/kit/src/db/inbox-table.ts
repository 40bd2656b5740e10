import { index, type PgSchema, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";

function defineInbox(schema: PgSchema) {
  return schema.table(
    "inbox",
    {
      consumer: text("consumer").notNull(),
      eventId: uuid("event_id").notNull(),
      processedAt: timestamp("processed_at", { withTimezone: true }).notNull().defaultNow(),
    },
    (table) => [
      primaryKey({ columns: [table.consumer, table.eventId] }),
      // The retention sweep's way in: a consumer's oldest rows first.
      index("inbox_consumer_processed_idx").on(table.consumer, table.processedAt),
    ],
  );
}

/** The events a consumer has already applied: a redelivery finds its row and changes nothing. */
export type InboxTable = ReturnType<typeof defineInbox>;

export function inboxTable(schema: PgSchema): InboxTable {
  return defineInbox(schema);
}
