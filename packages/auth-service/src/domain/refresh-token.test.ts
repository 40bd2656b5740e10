import { describe, expect, it } from "vitest";
import { RefreshTokenExpired, RefreshTokenReused, SessionRevoked, UnknownRefreshToken } from "./errors.ts";
import {
  hashRefreshToken,
  isWellFormedRefreshToken,
  judgeLogout,
  judgeRefresh,
  newRefreshToken,
  type RefreshTokenState,
  refreshTokenExpiry,
} from "./refresh-token.ts";

const now = new Date("2026-01-01T12:00:00Z");
const live: RefreshTokenState = {
  sessionId: "s1",
  accountId: "a1",
  spentAt: null,
  expiresAt: new Date("2026-01-02T00:00:00Z"),
  sessionRevokedAt: null,
};

describe("judgeRefresh", () => {
  it("rotates a live, unspent token", () => {
    expect(judgeRefresh(live, now)).toEqual({ action: "rotate" });
  });

  it("rejects an unknown token", () => {
    const verdict = judgeRefresh(undefined, now);
    expect(verdict.action).toBe("reject");
    expect(verdict.action !== "rotate" && verdict.error).toBeInstanceOf(UnknownRefreshToken);
  });

  it("revokes the whole session when a spent token comes back", () => {
    const verdict = judgeRefresh({ ...live, spentAt: new Date("2026-01-01T11:00:00Z") }, now);
    expect(verdict.action).toBe("revoke_session");
    expect(verdict.action !== "rotate" && verdict.error).toBeInstanceOf(RefreshTokenReused);
  });

  it("treats a spent token as reuse even after it expired", () => {
    const verdict = judgeRefresh({ ...live, spentAt: now, expiresAt: new Date("2025-12-31T00:00:00Z") }, now);
    expect(verdict.action).toBe("revoke_session");
  });

  it("rejects tokens of a revoked session without revoking again", () => {
    const verdict = judgeRefresh({ ...live, spentAt: now, sessionRevokedAt: now }, now);
    expect(verdict.action).toBe("reject");
    expect(verdict.action !== "rotate" && verdict.error).toBeInstanceOf(SessionRevoked);
  });

  it("rejects a token at and after its expiry", () => {
    for (const expiresAt of [now, new Date(now.getTime() - 1)]) {
      const verdict = judgeRefresh({ ...live, expiresAt }, now);
      expect(verdict.action !== "rotate" && verdict.error).toBeInstanceOf(RefreshTokenExpired);
    }
    expect(judgeRefresh({ ...live, expiresAt: new Date(now.getTime() + 1) }, now).action).toBe("rotate");
  });
});

describe("judgeLogout", () => {
  it("revokes the caller's own live session", () => {
    expect(judgeLogout(live, "a1")).toEqual({ action: "revoke_session" });
  });

  it("answers someone else's token like an unknown one", () => {
    const verdict = judgeLogout(live, "a2");
    expect(verdict.action === "reject" && verdict.error).toBeInstanceOf(UnknownRefreshToken);
    expect(judgeLogout(undefined, "a1").action).toBe("reject");
  });

  it("does nothing more for an already revoked session", () => {
    expect(judgeLogout({ ...live, sessionRevokedAt: now }, "a1")).toEqual({ action: "nothing" });
  });
});

describe("refreshTokenExpiry", () => {
  it("adds the time to live in seconds", () => {
    expect(refreshTokenExpiry(now, 90).toISOString()).toBe("2026-01-01T12:01:30.000Z");
  });
});

describe("refresh tokens", () => {
  it("are 32 random bytes in base64url, different every time", () => {
    const tokens = new Set(Array.from({ length: 50 }, newRefreshToken));
    expect(tokens.size).toBe(50);
    for (const token of tokens) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(isWellFormedRefreshToken(token)).toBe(true);
    }
  });

  it("refuses what cannot be one of ours", () => {
    expect(isWellFormedRefreshToken("")).toBe(false);
    expect(isWellFormedRefreshToken(`${newRefreshToken()}x`)).toBe(false);
    expect(isWellFormedRefreshToken(`${"a".repeat(42)}=`)).toBe(false);
  });

  it("hash to the hex SHA-256 of the token text", async () => {
    // SHA-256("abc"), FIPS 180-2 test vector.
    expect(await hashRefreshToken("abc")).toBe(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
    const token = newRefreshToken();
    expect(await hashRefreshToken(token)).toBe(await hashRefreshToken(token));
  });
});
