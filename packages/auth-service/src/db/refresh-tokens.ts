import type { Executor } from "@instagram/kit";
import { and, eq, exists, gte, inArray, isNull, lt, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { RefreshTokenState } from "../domain/refresh-token.ts";
import { accounts, refreshTokens, sessions } from "./schema/index.ts";

export async function insertRefreshToken(
  ex: Executor,
  token: { tokenHash: string; sessionId: string; issuedAt: Date; expiresAt: Date },
): Promise<void> {
  await ex.insert(refreshTokens).values(token);
}

/** The token with its session, and the username access tokens carry. */
export interface StoredRefreshToken extends RefreshTokenState {
  username: string;
}

export async function findRefreshToken(
  ex: Executor,
  tokenHash: string,
): Promise<StoredRefreshToken | undefined> {
  const [row] = await ex
    .select({
      sessionId: refreshTokens.sessionId,
      accountId: sessions.accountId,
      username: accounts.username,
      spentAt: refreshTokens.spentAt,
      expiresAt: refreshTokens.expiresAt,
      sessionRevokedAt: sessions.revokedAt,
    })
    .from(refreshTokens)
    .innerJoin(sessions, eq(sessions.id, refreshTokens.sessionId))
    .innerJoin(accounts, eq(accounts.id, sessions.accountId))
    .where(eq(refreshTokens.tokenHash, tokenHash));
  return row;
}

/**
 * Marks the token spent if nobody has yet. False means another request spent it first, which
 * is reuse just like presenting an old token (the single UPDATE makes the race safe).
 */
export async function spendRefreshToken(ex: Executor, tokenHash: string, at: Date): Promise<boolean> {
  const rows = await ex
    .update(refreshTokens)
    .set({ spentAt: at })
    .where(and(eq(refreshTokens.tokenHash, tokenHash), isNull(refreshTokens.spentAt)))
    .returning({ tokenHash: refreshTokens.tokenHash });
  return rows.length > 0;
}

/**
 * For a row of refresh_tokens in the outer query: another token of its session that is still
 * valid at `cutoff` (the session can be refreshed then).
 */
export function laterTokenOfSession(ex: Executor, cutoff: Date) {
  const later = alias(refreshTokens, "later");
  return ex
    .select({ one: sql`1` })
    .from(later)
    .where(and(eq(later.sessionId, refreshTokens.sessionId), gte(later.expiresAt, cutoff)));
}

/**
 * Deletes up to `limit` refresh tokens that expired before `cutoff` in sessions that live on (a
 * later token of theirs is still valid then): the spent links of a long session. Sessions that
 * ended go whole, with deleteSessionsExpiredBefore. Returns how many.
 */
export async function deleteTokensExpiredBefore(ex: Executor, cutoff: Date, limit: number): Promise<number> {
  const expired = ex
    .select({ tokenHash: refreshTokens.tokenHash })
    .from(refreshTokens)
    .where(and(lt(refreshTokens.expiresAt, cutoff), exists(laterTokenOfSession(ex, cutoff))))
    .limit(limit);
  const rows = await ex
    .delete(refreshTokens)
    .where(inArray(refreshTokens.tokenHash, expired))
    .returning({ tokenHash: refreshTokens.tokenHash });
  return rows.length;
}
