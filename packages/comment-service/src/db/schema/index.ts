import { eventTables } from "@instagram/kit";
import { commentsSchema } from "./comments-schema.ts";

export { COMMENTS_SCHEMA, commentsSchema } from "./comments-schema.ts";
export const { outbox, inbox } = eventTables(commentsSchema);
export * from "./authors.ts";
export * from "./comments.ts";
export * from "./known-images.ts";
