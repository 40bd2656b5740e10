import { instantColumn } from "@instagram/kit";
import { text, uuid } from "drizzle-orm/pg-core";
import { commentsSchema } from "./comments-schema.ts";

/**
 * Read model of user-service's users, fed by users.CREATED / UPDATED / DELETED: the username
 * shown on a comment. A deleted user keeps a tombstone (deleted_at set): their still-valid access
 * token can no longer comment, and a late CREATED or UPDATED does not revive them.
 */
export const authors = commentsSchema.table("authors", {
  userId: uuid("user_id").primaryKey(),
  username: text("username").notNull().default(""),
  deletedAt: instantColumn("deleted_at", { precision: 3 }),
});

export type AuthorRow = typeof authors.$inferSelect;
