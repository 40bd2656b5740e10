import { belongsToColumn, instantColumn } from "@instagram/kit";
import { index, text } from "drizzle-orm/pg-core";
import { authSchema } from "./auth-schema.ts";
import { sessions } from "./sessions.ts";

/** Every refresh token ever issued, by the hex SHA-256 of its value; the value itself is never stored. */
export const refreshTokens = authSchema.table(
  "refresh_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    sessionId: belongsToColumn("session_id", () => sessions.id),
    issuedAt: instantColumn("issued_at").notNull().defaultNow(),
    expiresAt: instantColumn("expires_at").notNull(),
    spentAt: instantColumn("spent_at"),
  },
  (table) => [
    index("refresh_tokens_session_id_idx").on(table.sessionId),
    // The retention sweep's way in: tokens expired before its cutoff.
    index("refresh_tokens_expires_at_idx").on(table.expiresAt),
  ],
);
