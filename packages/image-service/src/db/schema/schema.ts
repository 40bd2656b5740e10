import { pgSchema } from "drizzle-orm/pg-core";

export const imagesSchema = pgSchema("images");
