import { instantColumn } from "@instagram/kit";
import { index, text, uuid } from "drizzle-orm/pg-core";
import { imagesSchema } from "./schema.ts";

/**
 * Files that may exist without a live image row, waiting for the blob reaper:
 * - "upload": written before the image row commits; the row's transaction deletes the claim, so a
 *   claim older than the grace period is a crashed or failed upload.
 * - "delete": the image row is gone (same transaction); its files are removed right after commit.
 * Files are touched only outside transactions, so a rollback can never leave a row pointing at nothing.
 */
export const blobClaims = imagesSchema.table(
  "blob_claims",
  {
    imageId: uuid("image_id").primaryKey(),
    reason: text("reason", { enum: ["upload", "delete"] }).notNull(),
    since: instantColumn("since").notNull().defaultNow(),
  },
  (table) => [index("blob_claims_since_idx").on(table.since)],
);
