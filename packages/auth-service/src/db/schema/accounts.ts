import { sql } from "drizzle-orm";
import { text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { authSchema } from "./auth-schema.ts";

export const accounts = authSchema.table(
  "accounts",
  {
    id: uuid("id").primaryKey(),
    /** Lower-case already; the index on lower() keeps uniqueness case-insensitive whatever writes it. */
    username: text("username").notNull(),
    email: text("email").notNull(),
    passwordHash: text("password_hash").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("accounts_username_lower_key").on(sql`lower(${table.username})`),
    uniqueIndex("accounts_email_lower_key").on(sql`lower(${table.email})`),
  ],
);

export type AccountRow = typeof accounts.$inferSelect;
