import { pgSchema } from "drizzle-orm/pg-core";

export const COMMENTS_SCHEMA = "comments";

/** Everything comment-service stores lives in this Postgres schema; no other service reads it. */
export const commentsSchema = pgSchema(COMMENTS_SCHEMA);
