import { pgSchema } from "drizzle-orm/pg-core";

export const USERS_SCHEMA = "users";
export const usersSchema = pgSchema(USERS_SCHEMA);
