import { belongsToColumn, instantColumn } from "@instagram/kit";
import { index, primaryKey, uuid } from "drizzle-orm/pg-core";
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
    createdAt: instantColumn("created_at").notNull(),
    imageId: belongsToColumn("image_id", () => images.id),
    ownerId: uuid("owner_id").notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.userId, table.createdAt, table.imageId] }),
    index("timeline_entries_image_idx").on(table.imageId),
  ],
);
