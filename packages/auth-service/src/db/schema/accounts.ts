import { createdAtColumn, idColumn } from "@instagram/kit";
import { sql } from "drizzle-orm";
import { text, uniqueIndex } from "drizzle-orm/pg-core";
import { authSchema } from "./auth-schema.ts";

export const accounts = authSchema.table(
  "accounts",
  {
    id: idColumn(),
    /** Lower-case already; the index on lower() keeps uniqueness case-insensitive whatever writes it. */
    username: text("username").notNull(),
    email: text("email").notNull(),
    passwordHash: text("password_hash").notNull(),
    createdAt: createdAtColumn(),
  },
  (table) => [
    uniqueIndex("accounts_username_lower_key").on(sql`lower(${table.username})`),
    uniqueIndex("accounts_email_lower_key").on(sql`lower(${table.email})`),
  ],
);

export type AccountRow = typeof accounts.$inferSelect;
