import { instantColumn } from "@instagram/kit";
import { index, uuid } from "drizzle-orm/pg-core";
import { commentsSchema } from "./comments-schema.ts";

/**
 * Read model of image-service's images, fed by images.CREATED / DELETED: which images exist and
 * who owns them. A deleted image keeps its row as a tombstone (deleted_at set), so a late or
 * replayed CREATED never brings it back.
 */
export const knownImages = commentsSchema.table(
  "known_images",
  {
    imageId: uuid("image_id").primaryKey(),
    ownerId: uuid("owner_id").notNull(),
    deletedAt: instantColumn("deleted_at", { precision: 3 }),
  },
  (t) => [index("known_images_owner_idx").on(t.ownerId)],
);

export type KnownImageRow = typeof knownImages.$inferSelect;
