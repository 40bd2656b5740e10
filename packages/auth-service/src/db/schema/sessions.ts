import { isNotNull } from "drizzle-orm";
import { index, timestamp, uuid } from "drizzle-orm/pg-core";
import { accounts } from "./accounts.ts";
import { authSchema } from "./auth-schema.ts";

/** A login: the family its rotated refresh tokens belong to. Revoking it ends them all. */
export const sessions = authSchema.table(
  "sessions",
  {
    id: uuid("id").primaryKey(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (table) => [
    index("sessions_account_id_idx").on(table.accountId),
    // The retention sweep's way in: revoked sessions only.
    index("sessions_revoked_at_idx").on(table.revokedAt).where(isNotNull(table.revokedAt)),
  ],
);

export type SessionRow = typeof sessions.$inferSelect;
