import type { Executor } from "@instagram/kit";
import { and, eq, isNull, ne } from "drizzle-orm";
import { sessions } from "./schema/index.ts";

export async function insertSession(
  ex: Executor,
  session: { id: string; accountId: string; createdAt: Date },
): Promise<void> {
  await ex.insert(sessions).values(session);
}

export async function revokeSession(ex: Executor, sessionId: string, at: Date): Promise<void> {
  await ex
    .update(sessions)
    .set({ revokedAt: at })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)));
}

/** Revokes every live session of the account except `keepSessionId`; returns how many. */
export async function revokeOtherSessions(
  ex: Executor,
  accountId: string,
  keepSessionId: string | undefined,
  at: Date,
): Promise<number> {
  const live = and(eq(sessions.accountId, accountId), isNull(sessions.revokedAt));
  const rows = await ex
    .update(sessions)
    .set({ revokedAt: at })
    .where(keepSessionId === undefined ? live : and(live, ne(sessions.id, keepSessionId)))
    .returning({ id: sessions.id });
  return rows.length;
}
