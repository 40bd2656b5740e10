import { instantColumn } from "@instagram/kit";
import { sql } from "drizzle-orm";
import { index, integer, text, uuid } from "drizzle-orm/pg-core";
import { imagesSchema } from "./schema.ts";

/**
 * Read model of user-service's users (fed by the `users` topic): the owner's username for Image
 * views, and a tombstone once the user is deleted so a still-valid token cannot upload or like.
 * For the feed: how many follow them (from the follow read model) and, once that passed the
 * fan-out limit, since when their images are no longer fanned out on write but merged in on read.
 */
export const owners = imagesSchema.table(
  "owners",
  {
    userId: uuid("user_id").primaryKey(),
    username: text("username").notNull(),
    deletedAt: instantColumn("deleted_at"),
    followersCount: integer("followers_count").notNull().default(0),
    fanOutStoppedAt: instantColumn("fan_out_stopped_at"),
  },
  (table) => [
    index("owners_username_idx").on(table.username),
    index("owners_read_fan_out_idx").on(table.userId).where(sql`${table.fanOutStoppedAt} is not null`),
  ],
);
