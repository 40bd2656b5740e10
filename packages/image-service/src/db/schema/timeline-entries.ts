import { index, primaryKey, timestamp, uuid } from "drizzle-orm/pg-core";
import { images } from "./images.ts";
import { imagesSchema } from "./schema.ts";

/**
 * The feed, fanned out on write: one row per (reader, image) for the images of the reader and of
 * everyone they follow, newer than the timeline horizon. `created_at` is the image's, so the
 * primary key read backwards is the feed's order.
 */
export const timelineEntries = imagesSchema.table(
  "timeline_entries",
  {
    userId: uuid("user_id").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    imageId: uuid("image_id")
      .notNull()
      .references(() => images.id, { onDelete: "cascade" }),
    ownerId: uuid("owner_id").notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.userId, table.createdAt, table.imageId] }),
    index("timeline_entries_image_idx").on(table.imageId),
  ],
);
