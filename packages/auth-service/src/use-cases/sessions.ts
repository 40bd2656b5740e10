import { type DomainError, type Executor, newId } from "@instagram/kit";
import { findAccountByEmail, findAccountByUsername } from "../db/accounts.ts";
import { clearLoginFailures, countLoginAttempt } from "../db/login-failures.ts";
import { findRefreshToken, insertRefreshToken, spendRefreshToken } from "../db/refresh-tokens.ts";
import { insertSession, listSessionsRevokedSince, revokeSession } from "../db/sessions.ts";
import { parseLogin, requireValue } from "../domain/credentials.ts";
import {
  InvalidCredentials,
  RefreshTokenReused,
  TooManyLoginAttempts,
  UnknownRefreshToken,
} from "../domain/errors.ts";
import { judgeLoginAttempt, lockoutSubjectOf } from "../domain/login-lockout.ts";
import {
  hashRefreshToken,
  isWellFormedRefreshToken,
  judgeLogout,
  judgeRefresh,
  newRefreshToken,
  refreshTokenExpiry,
} from "../domain/refresh-token.ts";
import type { AuthDeps } from "./deps.ts";

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: "Bearer";
  /** Seconds until the access token expires. */
  expiresIn: number;
}

/** Access tokens name their session, so "every other session" can be told from the caller's own. */
export const SESSION_CLAIM = "sid";

type Rotation =
  | { refused: DomainError }
  | { account: { accountId: string; username: string }; sessionId: string; next: string };

export interface Sessions {
  login(input: { username: string; password: string }): Promise<{ accountId: string; tokens: TokenPair }>;
  refresh(refreshToken: string): Promise<TokenPair>;
  logout(accountId: string, refreshToken: string): Promise<void>;
  /** Sessions revoked at or after `since`, oldest first, one page (the verifiers' poll). */
  revokedSince(since: Date): Promise<{ sessionId: string; revokedAt: Date }[]>;
}

/** One page of revoked sessions; a full page tells the poller to ask again from its last one. */
export const REVOKED_SESSIONS_PAGE = 1000;

export function createSessions(deps: AuthDeps): Sessions {
  const { db, hasher } = deps;

  // Unknown users are "verified" against this hash so they cost the same time as known ones.
  let dummyHash: Promise<string> | undefined;
  function dummy(): Promise<string> {
    dummyHash ??= hasher.hash(newRefreshToken());
    return dummyHash;
  }

  async function issue(
    account: { accountId: string; username: string },
    sessionId: string,
    refreshToken: string,
  ): Promise<TokenPair> {
    const access = await deps.signer.sign(account.accountId, {
      username: account.username,
      [SESSION_CLAIM]: sessionId,
    });
    return { accessToken: access.token, refreshToken, tokenType: "Bearer", expiresIn: access.expiresIn };
  }

  async function storeNewToken(tx: Executor, sessionId: string, now: Date): Promise<string> {
    const token = newRefreshToken();
    await insertRefreshToken(tx, {
      tokenHash: await hashRefreshToken(token),
      sessionId,
      issuedAt: now,
      expiresAt: refreshTokenExpiry(now, deps.refreshTokenTtlSeconds),
    });
    return token;
  }

  return {
    async login(input) {
      const attempt = parseLogin(input);
      const account =
        attempt.identifier.by === "email"
          ? await findAccountByEmail(db, attempt.identifier.email)
          : await findAccountByUsername(db, attempt.identifier.username);
      // Counted in the database before the password is checked, so every replica sees every
      // attempt; unknown names are counted too (per name), so a lockout does not tell them apart.
      const now = deps.now();
      const subject = await lockoutSubjectOf(account, attempt.key);
      const count = await countLoginAttempt(db, subject, deps.lockout, now);
      const admission = judgeLoginAttempt(count, deps.lockout, now);
      if (!admission.admitted) throw new TooManyLoginAttempts(admission.retryAfterSeconds);
      const matches = await hasher.verify(account?.passwordHash ?? (await dummy()), attempt.password);
      if (account === undefined || !matches) throw new InvalidCredentials();
      await clearLoginFailures(db, subject);
      const sessionId = newId();
      const refreshToken = await db.transaction(async (tx) => {
        await insertSession(tx, { id: sessionId, accountId: account.id, createdAt: now });
        return storeNewToken(tx, sessionId, now);
      });
      const tokens = await issue(
        { accountId: account.id, username: account.username },
        sessionId,
        refreshToken,
      );
      return { accountId: account.id, tokens };
    },

    async refresh(presented) {
      if (!isWellFormedRefreshToken(requireValue("refreshToken", presented))) throw new UnknownRefreshToken();
      const tokenHash = await hashRefreshToken(presented);
      const now = deps.now();
      // Reuse must revoke the family AND answer with an error: commit first, throw after.
      const rotation = await db.transaction(async (tx): Promise<Rotation> => {
        const stored = await findRefreshToken(tx, tokenHash);
        const verdict = judgeRefresh(stored, now);
        if (verdict.action === "reject" || stored === undefined) {
          throw verdict.action === "reject" ? verdict.error : new UnknownRefreshToken();
        }
        // A concurrent refresh that spent the token first makes this one a reuse as well.
        const spent = verdict.action === "rotate" && (await spendRefreshToken(tx, tokenHash, now));
        if (!spent) {
          await revokeSession(tx, stored.sessionId, now);
          deps.logger.warn({ sessionId: stored.sessionId }, "spent refresh token presented; session revoked");
          return { refused: verdict.action === "revoke_session" ? verdict.error : new RefreshTokenReused() };
        }
        return {
          account: stored,
          sessionId: stored.sessionId,
          next: await storeNewToken(tx, stored.sessionId, now),
        };
      });
      if ("refused" in rotation) throw rotation.refused;
      return issue(rotation.account, rotation.sessionId, rotation.next);
    },

    revokedSince(since) {
      // Older than the longest access-token lifetime (900 s, env's bound) plus the verifiers'
      // clock tolerance, a revocation guards no live token.
      const horizon = new Date(deps.now().getTime() - (900 + 60) * 1000);
      return listSessionsRevokedSince(db, since > horizon ? since : horizon, REVOKED_SESSIONS_PAGE);
    },

    async logout(accountId, presented) {
      if (!isWellFormedRefreshToken(requireValue("refreshToken", presented))) throw new UnknownRefreshToken();
      const tokenHash = await hashRefreshToken(presented);
      const now = deps.now();
      await db.transaction(async (tx) => {
        const stored = await findRefreshToken(tx, tokenHash);
        const verdict = judgeLogout(stored, accountId);
        if (verdict.action === "reject") throw verdict.error;
        if (verdict.action === "revoke_session" && stored !== undefined) {
          await spendRefreshToken(tx, tokenHash, now);
          await revokeSession(tx, stored.sessionId, now);
        }
      });
    },
  };
}
