import { eventTables } from "@instagram/kit";
import { imagesSchema } from "./schema.ts";

export { imagesSchema };
export const { outbox, inbox } = eventTables(imagesSchema);

export * from "./blob-claims.ts";
export * from "./feed-follows.ts";
export * from "./image-mentions.ts";
export * from "./image-tags.ts";
export * from "./images.ts";
export * from "./likes.ts";
export * from "./owners.ts";
export * from "./timeline-entries.ts";
