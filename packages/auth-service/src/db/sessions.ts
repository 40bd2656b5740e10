import type { Executor } from "@instagram/kit";
import { and, asc, eq, gte, inArray, isNull, lt, ne, notExists, type SQLWrapper } from "drizzle-orm";
import { laterTokenOfSession } from "./refresh-tokens.ts";
import { refreshTokens, sessions } from "./schema/index.ts";

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

/** Deletes up to `limit` sessions revoked before `cutoff` (their refresh tokens go with them); returns how many. */
export async function deleteSessionsRevokedBefore(
  ex: Executor,
  cutoff: Date,
  limit: number,
): Promise<number> {
  return deleteSessionsIn(
    ex,
    ex.select({ id: sessions.id }).from(sessions).where(lt(sessions.revokedAt, cutoff)).limit(limit),
  );
}

/**
 * Deletes up to `limit` sessions whose every refresh token expired before `cutoff`: none can be
 * refreshed any more (their tokens go with them); returns how many.
 */
export async function deleteSessionsExpiredBefore(
  ex: Executor,
  cutoff: Date,
  limit: number,
): Promise<number> {
  return deleteSessionsIn(
    ex,
    ex
      .selectDistinct({ id: refreshTokens.sessionId })
      .from(refreshTokens)
      .where(and(lt(refreshTokens.expiresAt, cutoff), notExists(laterTokenOfSession(ex, cutoff))))
      .limit(limit),
  );
}

async function deleteSessionsIn(ex: Executor, ids: SQLWrapper): Promise<number> {
  const rows = await ex.delete(sessions).where(inArray(sessions.id, ids)).returning({ id: sessions.id });
  return rows.length;
}

/** Sessions revoked at or after `since`, oldest first, at most `limit` (the verifiers' poll). */
export async function listSessionsRevokedSince(
  ex: Executor,
  since: Date,
  limit: number,
): Promise<{ sessionId: string; revokedAt: Date }[]> {
  const rows = await ex
    .select({ sessionId: sessions.id, revokedAt: sessions.revokedAt })
    .from(sessions)
    .where(gte(sessions.revokedAt, since))
    .orderBy(asc(sessions.revokedAt))
    .limit(limit);
  return rows.flatMap((row) =>
    row.revokedAt === null ? [] : [{ sessionId: row.sessionId, revokedAt: row.revokedAt }],
  );
}

/** True when the session exists and has not been revoked (sensitive operations check it here). */
export async function isSessionLive(ex: Executor, sessionId: string, accountId: string): Promise<boolean> {
  const rows = await ex
    .select({ id: sessions.id })
    .from(sessions)
    .where(and(eq(sessions.id, sessionId), eq(sessions.accountId, accountId), isNull(sessions.revokedAt)))
    .limit(1);
  return rows.length > 0;
}
