import { index, text, uuid } from "drizzle-orm/pg-core";
import { usersSchema } from "./users-schema.ts";

/**
 * Which images each user owns, fed by the `images` topic, so images_count stays exact even when
 * an images.CREATED overtakes the accounts.CREATED that makes the profile (different topics
 * have no order between them): a new profile starts from the count found here.
 */
export const ownedImages = usersSchema.table(
  "owned_images",
  {
    imageId: text("image_id").primaryKey(),
    ownerId: uuid("owner_id").notNull(),
  },
  (t) => [index("owned_images_owner").on(t.ownerId)],
);
