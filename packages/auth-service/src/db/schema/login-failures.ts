import { instantColumn } from "@instagram/kit";
import { index, integer, text } from "drizzle-orm/pg-core";
import { authSchema } from "./auth-schema.ts";

/**
 * Login attempts per account within the current window, shared by every replica: the lockout
 * reads and counts here. A row counts an attempt from before its password is checked (a success
 * deletes the row), so concurrent guesses cannot slip past the limit.
 */
export const loginFailures = authSchema.table(
  "login_failures",
  {
    /** `account:<id>` for an account (whatever name was typed), `name:<sha-256>` for an unknown name. */
    subject: text("subject").primaryKey(),
    attempts: integer("attempts").notNull(),
    windowStartedAt: instantColumn("window_started_at").notNull(),
  },
  // The sweep's way in: windows that are over.
  (table) => [index("login_failures_window_started_at_idx").on(table.windowStartedAt)],
);
