import type { DomainError } from "@instagram/kit";
import { RefreshTokenExpired, RefreshTokenReused, SessionRevoked, UnknownRefreshToken } from "./errors.ts";

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
  | { action: "revoke_session"; error: DomainError }
  | { action: "reject"; error: DomainError };

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
  | { action: "reject"; error: DomainError };

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

// Opaque refresh tokens: 32 random bytes, base64url. Only their SHA-256 is stored, so a leaked
// table cannot be replayed. Web Crypto only, so this runs on Node and Deno alike.

const TOKEN_BYTES = 32;
const tokenPattern = /^[A-Za-z0-9_-]{43}$/;

function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function newRefreshToken(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(TOKEN_BYTES)));
}

/** False for anything that cannot be a token we issued (saves a database round trip). */
export function isWellFormedRefreshToken(token: string): boolean {
  return tokenPattern.test(token);
}

/** Hex SHA-256 of the token: the key refresh tokens are stored and looked up under. */
export async function hashRefreshToken(token: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token)));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}
