import { belongsToColumn, createdAtColumn, idColumn, instantColumn } from "@instagram/kit";
import { isNotNull } from "drizzle-orm";
import { index } from "drizzle-orm/pg-core";
import { accounts } from "./accounts.ts";
import { authSchema } from "./auth-schema.ts";

/** A login: the family its rotated refresh tokens belong to. Revoking it ends them all. */
export const sessions = authSchema.table(
  "sessions",
  {
    id: idColumn(),
    accountId: belongsToColumn("account_id", () => accounts.id),
    createdAt: createdAtColumn(),
    revokedAt: instantColumn("revoked_at"),
  },
  (table) => [
    index("sessions_account_id_idx").on(table.accountId),
    // The retention sweep's way in: revoked sessions only.
    index("sessions_revoked_at_idx").on(table.revokedAt).where(isNotNull(table.revokedAt)),
  ],
);

export type SessionRow = typeof sessions.$inferSelect;
