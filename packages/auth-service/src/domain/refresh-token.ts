import {
  type AuthError,
  RefreshTokenExpired,
  RefreshTokenReused,
  SessionRevoked,
  UnknownRefreshToken,
} from "./errors.ts";

/**
 * A session is a family of refresh tokens: logging in starts one, every refresh spends the
 * presented token and issues its successor in the same family. A spent token presented again
 * means two parties hold the family, so the whole family is revoked.
 */
export interface RefreshTokenState {
  sessionId: string;
  accountId: string;
  spentAt: Date | null;
  expiresAt: Date;
  sessionRevokedAt: Date | null;
}

export type RefreshVerdict =
  | { action: "rotate" }
  | { action: "revoke_session"; error: AuthError }
  | { action: "reject"; error: AuthError };

export function judgeRefresh(state: RefreshTokenState | undefined, now: Date): RefreshVerdict {
  if (state === undefined) return { action: "reject", error: new UnknownRefreshToken() };
  if (state.sessionRevokedAt !== null) return { action: "reject", error: new SessionRevoked() };
  if (state.spentAt !== null) return { action: "revoke_session", error: new RefreshTokenReused() };
  if (state.expiresAt.getTime() <= now.getTime()) {
    return { action: "reject", error: new RefreshTokenExpired() };
  }
  return { action: "rotate" };
}

/** Logout ends the caller's own session only; someone else's token looks unknown. */
export type LogoutVerdict =
  | { action: "revoke_session" }
  | { action: "nothing" }
  | { action: "reject"; error: AuthError };

export function judgeLogout(state: RefreshTokenState | undefined, callerId: string): LogoutVerdict {
  if (state === undefined || state.accountId !== callerId) {
    return { action: "reject", error: new UnknownRefreshToken() };
  }
  if (state.sessionRevokedAt !== null) return { action: "nothing" };
  return { action: "revoke_session" };
}

/** When a refresh token presented now stops working (sliding: each rotation extends it). */
export function refreshTokenExpiry(now: Date, ttlSeconds: number): Date {
  return new Date(now.getTime() + ttlSeconds * 1000);
}
