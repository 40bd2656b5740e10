import { idColumn, instantColumn } from "@instagram/kit";
import { sql } from "drizzle-orm";
import { check, index, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
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
    // The client's Idempotency-Key, if it sent one: a retry with it returns this comment.
    idempotencyKey: text("idempotency_key"),
  },
  (t) => [
    // An image's comments oldest first, in keyset pages.
    index("comments_image_order_idx").on(t.imageId, t.createdAt, t.id),
    // An author's comments everywhere, for the account-deletion cascade.
    index("comments_author_idx").on(t.authorId),
    // One comment per author and key; a key older than its retention is cleared before reuse.
    uniqueIndex("comments_author_idempotency_key_idx")
      .on(t.authorId, t.idempotencyKey)
      .where(sql`${t.idempotencyKey} is not null`),
    // The key sweep's way in: keyed comments by age (only the last day's keep their key).
    index("comments_idempotency_key_age_idx").on(t.createdAt).where(sql`${t.idempotencyKey} is not null`),
    check("comments_text_length", sql`char_length(${t.text}) between 1 and 1000`),
  ],
);

export type CommentRow = typeof comments.$inferSelect;
