import { instantColumn } from "@instagram/kit";
import { index, primaryKey, uuid } from "drizzle-orm/pg-core";
import { imagesSchema } from "./schema.ts";

/**
 * Read model of user-service's follow graph (fed by users.FOLLOWED / UNFOLLOWED / DELETED): whose
 * images go into whose feed, without a call to user-service on the feed's path.
 */
export const feedFollows = imagesSchema.table(
  "feed_follows",
  {
    followerId: uuid("follower_id").notNull(),
    followeeId: uuid("followee_id").notNull(),
    createdAt: instantColumn("created_at").notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.followerId, table.followeeId] }),
    index("feed_follows_followee_idx").on(table.followeeId),
  ],
);
