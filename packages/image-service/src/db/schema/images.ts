import { idColumn, instantColumn } from "@instagram/kit";
import { sql } from "drizzle-orm";
import { check, index, integer, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { imagesSchema } from "./schema.ts";

/** One uploaded image: its metadata; the bytes live in the blob store under `<id>.<rendition>`. */
export const images = imagesSchema.table(
  "images",
  {
    id: idColumn(),
    ownerId: uuid("owner_id").notNull(),
    caption: text("caption").notNull().default(""),
    hashtags: text("hashtags").array().notNull().default(sql`'{}'::text[]`),
    mentions: text("mentions").array().notNull().default(sql`'{}'::text[]`),
    contentType: text("content_type").notNull(),
    width: integer("width").notNull(),
    height: integer("height").notNull(),
    likesCount: integer("likes_count").notNull().default(0),
    commentsCount: integer("comments_count").notNull().default(0),
    createdAt: instantColumn("created_at").notNull(),
    // The client's Idempotency-Key, if it sent one: a retried upload returns this image.
    idempotencyKey: text("idempotency_key"),
  },
  // Ascending keys: read backwards they give ORDER BY … DESC (NULLS FIRST); drizzle's .desc() would
  // write DESC NULLS LAST, which cannot serve that order.
  (table) => [
    index("images_owner_created_idx").on(table.ownerId, table.createdAt, table.id),
    index("images_created_idx").on(table.createdAt, table.id),
    // One image per owner and key; a key older than its retention is cleared before reuse.
    uniqueIndex("images_owner_idempotency_key_idx")
      .on(table.ownerId, table.idempotencyKey)
      .where(sql`${table.idempotencyKey} is not null`),
    // The key sweep's way in: keyed images by age (only the last day's keep their key).
    index("images_idempotency_key_age_idx")
      .on(table.createdAt)
      .where(sql`${table.idempotencyKey} is not null`),
    check("images_likes_count_check", sql`${table.likesCount} >= 0`),
    check("images_comments_count_check", sql`${table.commentsCount} >= 0`),
  ],
);

export type ImageRow = typeof images.$inferSelect;
