import { belongsToColumn, instantColumn } from "@instagram/kit";
import { index, primaryKey, text } from "drizzle-orm/pg-core";
import { images } from "./images.ts";
import { imagesSchema } from "./schema.ts";

/** `@username` mentions of captions (lower-cased username as written), for newest-first pages by name. */
export const imageMentions = imagesSchema.table(
  "image_mentions",
  {
    username: text("username").notNull(),
    imageId: belongsToColumn("image_id", () => images.id),
    createdAt: instantColumn("created_at").notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.username, table.imageId] }),
    index("image_mentions_username_created_idx").on(table.username, table.createdAt, table.imageId),
    index("image_mentions_image_idx").on(table.imageId),
  ],
);
