import { describe, expect, it } from "vitest";
import { createRevokedSessions, type RevokedSession } from "./revoked-sessions.ts";
import { createAccessTokenSigner, generateSigningKey } from "./signer.ts";
import { TokenError } from "./token-error.ts";
import { createAccessTokenVerifier } from "./verifier.ts";

const issuer = "instagram-clone";

/** auth-service's side of the poll: a list of revocations, and the `since` of every fetch. */
function source() {
  const revoked: RevokedSession[] = [];
  const asked: Date[] = [];
  let down = false;
  return {
    revoked,
    asked,
    setDown(value: boolean) {
      down = value;
    },
    async fetchSince(since: Date): Promise<RevokedSession[]> {
      asked.push(since);
      if (down) throw new Error("auth-service is unavailable");
      return revoked.filter((s) => s.revokedAt >= since);
    },
  };
}

describe("revoked sessions", () => {
  it("refuses a cached, verified token once its session is revoked, within one poll", async () => {
    let clock = Date.now();
    const auth = source();
    const signer = await createAccessTokenSigner({
      privateJwk: await generateSigningKey(),
      issuer,
      ttlSeconds: 900,
    });
    const verifier = createAccessTokenVerifier({
      issuer,
      jwks: signer.jwks(),
      revokedSessions: createRevokedSessions({
        fetchSince: auth.fetchSince,
        pollMs: 2_000,
        now: () => clock,
      }),
      now: () => clock,
    });
    const { token } = await signer.sign("account-1", { sid: "session-1" });
    const other = (await signer.sign("account-1", { sid: "session-2" })).token;
    expect((await verifier.verify(token)).subject).toBe("account-1");

    auth.revoked.push({ sessionId: "session-1", revokedAt: new Date(clock) });
    clock += 1_000; // within the poll: not asked again yet
    expect((await verifier.verify(token)).subject).toBe("account-1");
    clock += 1_000;
    const error = await verifier.verify(token).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenError);
    expect((error as TokenError).reason).toBe("revoked");
    // The next poll asks from the last revocation seen, not from the start.
    clock += 2_000;
    expect((await verifier.verify(other)).subject).toBe("account-1");
    expect(auth.asked.at(-1)?.getTime()).toBe(clock - 4_000);
  });

  it("keeps the known set while auth-service is down, and forgets a session past its tokens' lifetime", async () => {
    let clock = Date.now();
    const auth = source();
    const revoked = createRevokedSessions({
      fetchSince: auth.fetchSince,
      pollMs: 1_000,
      rememberMs: 60_000,
      now: () => clock,
    });
    auth.revoked.push({ sessionId: "s1", revokedAt: new Date(clock) });
    expect(await revoked.isRevoked("s1")).toBe(true);
    auth.setDown(true);
    clock += 5_000;
    expect(await revoked.isRevoked("s1")).toBe(true);
    auth.setDown(false);
    auth.revoked.length = 0;
    clock += 60_000;
    expect(await revoked.isRevoked("s1")).toBe(false);
  });

  it("pages: a full page is followed at once by the next", async () => {
    const clock = Date.now();
    const auth = source();
    for (let i = 0; i < 5; i++)
      auth.revoked.push({ sessionId: `s${i}`, revokedAt: new Date(clock - 5_000 + i) });
    const pages: RevokedSession[][] = [];
    const revoked = createRevokedSessions({
      pageSize: 2,
      now: () => clock,
      async fetchSince(since) {
        const page = (await auth.fetchSince(since)).slice(0, 2);
        pages.push(page);
        return page;
      },
    });
    expect(await revoked.isRevoked("s4")).toBe(true);
    expect(pages.length).toBeGreaterThanOrEqual(3);
  });

  it("shares one fetch between concurrent checks", async () => {
    const auth = source();
    const revoked = createRevokedSessions({ fetchSince: auth.fetchSince });
    await Promise.all([revoked.isRevoked("a"), revoked.isRevoked("b"), revoked.isRevoked("c")]);
    expect(auth.asked).toHaveLength(1);
  });
});
