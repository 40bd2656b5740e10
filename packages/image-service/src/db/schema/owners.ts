import { index, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { imagesSchema } from "./schema.ts";

/**
 * Read model of user-service's users (fed by the `users` topic): the owner's username for Image
 * views, and a tombstone once the user is deleted so a still-valid token cannot upload or like.
 */
export const owners = imagesSchema.table(
  "owners",
  {
    userId: uuid("user_id").primaryKey(),
    username: text("username").notNull(),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
  },
  (table) => [index("owners_username_idx").on(table.username)],
);
