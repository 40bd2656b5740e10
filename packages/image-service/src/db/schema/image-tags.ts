import { belongsToColumn, instantColumn } from "@instagram/kit";
import { index, primaryKey, text } from "drizzle-orm/pg-core";
import { images } from "./images.ts";
import { imagesSchema } from "./schema.ts";

/** Hashtags of captions, one row per (tag, image); created_at copied for newest-first pages by tag. */
export const imageTags = imagesSchema.table(
  "image_tags",
  {
    tag: text("tag").notNull(),
    imageId: belongsToColumn("image_id", () => images.id),
    createdAt: instantColumn("created_at").notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.tag, table.imageId] }),
    index("image_tags_tag_created_idx").on(table.tag, table.createdAt, table.imageId),
    index("image_tags_image_idx").on(table.imageId),
  ],
);
