import { idColumn, instantColumn } from "@instagram/kit";
import { sql } from "drizzle-orm";
import { check, index, integer, text, uuid } from "drizzle-orm/pg-core";
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
  },
  // Ascending keys: read backwards they give ORDER BY … DESC (NULLS FIRST); drizzle's .desc() would
  // write DESC NULLS LAST, which cannot serve that order.
  (table) => [
    index("images_owner_created_idx").on(table.ownerId, table.createdAt, table.id),
    index("images_created_idx").on(table.createdAt, table.id),
    check("images_likes_count_check", sql`${table.likesCount} >= 0`),
    check("images_comments_count_check", sql`${table.commentsCount} >= 0`),
  ],
);

export type ImageRow = typeof images.$inferSelect;
