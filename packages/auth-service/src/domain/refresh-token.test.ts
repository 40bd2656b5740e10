import { describe, expect, it } from "vitest";
import { RefreshTokenExpired, RefreshTokenReused, SessionRevoked, UnknownRefreshToken } from "./errors.ts";
import { judgeLogout, judgeRefresh, type RefreshTokenState, refreshTokenExpiry } from "./refresh-token.ts";

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
