import { text, timestamp, uuid } from "drizzle-orm/pg-core";
import { commentsSchema } from "./comments-schema.ts";

/**
 * Read model of user-service's users, fed by users.CREATED / UPDATED / DELETED: the username
 * shown on a comment. A deleted user keeps a tombstone (deleted_at set): their still-valid access
 * token can no longer comment, and a late CREATED or UPDATED does not revive them.
 */
export const authors = commentsSchema.table("authors", {
  userId: uuid("user_id").primaryKey(),
  username: text("username").notNull().default(""),
  deletedAt: timestamp("deleted_at", { withTimezone: true, precision: 3 }),
});

export type AuthorRow = typeof authors.$inferSelect;
