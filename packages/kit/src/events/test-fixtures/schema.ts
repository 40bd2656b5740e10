import { integer, pgSchema, serial, text, uuid } from "drizzle-orm/pg-core";
import { inboxTable } from "../../db/inbox-table.ts";
import { outboxTable } from "../../db/outbox-table.ts";

/** A tiny service schema for the kit's own event tests. */
export const kitTestSchema = pgSchema("kit_test");
export const outbox = outboxTable(kitTestSchema);
export const inbox = inboxTable(kitTestSchema);

/** Followers per user: a counter, so applying one event twice would show. */
export const followerCounts = kitTestSchema.table("follower_counts", {
  userId: text("user_id").primaryKey(),
  followers: integer("followers").notNull(),
});

/** Every applied event in order, to check per-aggregate ordering. */
export const appliedEvents = kitTestSchema.table("applied_events", {
  position: serial("position").primaryKey(),
  eventId: uuid("event_id").notNull(),
  aggregateId: text("aggregate_id").notNull(),
  type: text("type").notNull(),
});
