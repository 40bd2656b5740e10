import { belongsToColumn, instantColumn } from "@instagram/kit";
import { index, primaryKey, uuid } from "drizzle-orm/pg-core";
import { images } from "./images.ts";
import { imagesSchema } from "./schema.ts";

/** Who likes which image; `images.likes_count` is kept equal to the number of rows per image. */
export const likes = imagesSchema.table(
  "likes",
  {
    imageId: belongsToColumn("image_id", () => images.id),
    userId: uuid("user_id").notNull(),
    createdAt: instantColumn("created_at").notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.imageId, table.userId] }),
    index("likes_image_created_idx").on(table.imageId, table.createdAt, table.userId),
    index("likes_user_idx").on(table.userId),
  ],
);
