import { idColumn, instantColumn } from "@instagram/kit";
import { sql } from "drizzle-orm";
import { check, index, text, uuid } from "drizzle-orm/pg-core";
import { commentsSchema } from "./comments-schema.ts";

export const comments = commentsSchema.table(
  "comments",
  {
    id: idColumn(),
    imageId: uuid("image_id").notNull(),
    authorId: uuid("author_id").notNull(),
    text: text("text").notNull(),
    hashtags: text("hashtags").array().notNull().default(sql`'{}'::text[]`),
    mentions: text("mentions").array().notNull().default(sql`'{}'::text[]`),
    // Millisecond precision, set by the service: cursors carry it exactly (a JS Date).
    createdAt: instantColumn("created_at", { precision: 3 }).notNull(),
  },
  (t) => [
    // An image's comments oldest first, in keyset pages.
    index("comments_image_order_idx").on(t.imageId, t.createdAt, t.id),
    // An author's comments everywhere, for the account-deletion cascade.
    index("comments_author_idx").on(t.authorId),
    check("comments_text_length", sql`char_length(${t.text}) between 1 and 1000`),
  ],
);

export type CommentRow = typeof comments.$inferSelect;
