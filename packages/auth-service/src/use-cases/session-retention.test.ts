import { Code } from "@connectrpc/connect";
import type { TokenPair } from "@instagram/contracts/auth";
import { createLogger } from "@instagram/kit";
import { connectFailure as failure } from "@instagram/kit/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { refreshTokens, sessions } from "../db/schema/index.ts";
import { hashRefreshToken } from "../domain/refresh-token.ts";
import { bearer, createTestbed, type Testbed } from "../testing/testbed.ts";
import { sessionRowsRemovedTotal, startSessionSweep, sweepSessions } from "./session-retention.ts";

const HOUR = 3600;
let testbed: Testbed;

beforeAll(async () => {
  testbed = await createTestbed({ refreshTokenTtlSeconds: HOUR });
});

afterAll(async () => {
  await testbed?.close();
});

async function signUp(username: string): Promise<void> {
  await testbed.client.signUp({ username, email: `${username}@example.com`, password: "correct horse" });
}

async function logout(tokens: TokenPair): Promise<void> {
  await testbed.client.logout({ refreshToken: tokens.refreshToken }, bearer(tokens.accessToken));
}

async function login(username: string): Promise<TokenPair> {
  const { tokens } = await testbed.client.login({ username, password: "correct horse" });
  if (!tokens) throw new Error("no tokens");
  return tokens;
}

async function refresh(refreshToken: string): Promise<TokenPair> {
  const { tokens } = await testbed.client.refresh({ refreshToken });
  if (!tokens) throw new Error("no tokens");
  return tokens;
}

async function removedSoFar(table: "sessions" | "refresh_tokens"): Promise<number> {
  const metric = await sessionRowsRemovedTotal.get();
  return metric.values.find((value) => value.labels.table === table)?.value ?? 0;
}

async function sessionOf(refreshToken: string): Promise<string | undefined> {
  const [row] = await testbed.db
    .select({ sessionId: refreshTokens.sessionId })
    .from(refreshTokens)
    .where(eq(refreshTokens.tokenHash, await hashRefreshToken(refreshToken)));
  return row?.sessionId;
}

describe("session retention", () => {
  it("deletes what ended before the cutoff, batch by batch, and keeps what lives", async () => {
    await signUp("keeper");
    // t0: three logins, one logged out at once.
    const revoked = await login("keeper");
    const longLived = await login("keeper");
    const abandoned = await login("keeper");
    await logout(revoked);
    const revokedSession = await sessionOf(revoked.refreshToken);
    const abandonedSession = await sessionOf(abandoned.refreshToken);
    // The long-lived session rotates before each token expires: t0+50m, t0+1h40m, t0+2h30m.
    testbed.advance(50 * 60);
    const second = await refresh(longLived.refreshToken);
    testbed.advance(50 * 60);
    const third = await refresh(second.refreshToken);
    testbed.advance(50 * 60);
    const fourth = await refresh(third.refreshToken);
    // t0+2h30m: a fresh login, and one logged out just now.
    const fresh = await login("keeper");
    const justRevoked = await login("keeper");
    await logout(justRevoked);
    const sessionsBefore = await testbed.db.select({ id: sessions.id }).from(sessions);
    expect(sessionsBefore).toHaveLength(5);

    const removedSessions = await removedSoFar("sessions");
    const removedTokens = await removedSoFar("refresh_tokens");
    // Swept at t0+3h keeping 1 h: the cutoff is t0+2h.
    testbed.advance(30 * 60);
    const cutoff = new Date(testbed.now().getTime() - HOUR * 1000);
    expect(await sweepSessions({ db: testbed.db, cutoff, batchSize: 1 })).toEqual({
      sessions: 2,
      refreshTokens: 2,
    });
    expect((await removedSoFar("sessions")) - removedSessions).toBe(2);
    expect((await removedSoFar("refresh_tokens")) - removedTokens).toBe(2);

    // Gone: the session revoked at t0 and the one whose only token expired at t0+1h, with their tokens.
    const left = (await testbed.db.select({ id: sessions.id }).from(sessions)).map((row) => row.id);
    expect(left).toHaveLength(3);
    expect(left).not.toContain(revokedSession);
    expect(left).not.toContain(abandonedSession);
    expect(await sessionOf(revoked.refreshToken)).toBeUndefined();
    expect(await sessionOf(abandoned.refreshToken)).toBeUndefined();
    // The long session lost its first two tokens (expired at t0+1h and t0+1h50m) and keeps the rest.
    expect(await sessionOf(longLived.refreshToken)).toBeUndefined();
    expect(await sessionOf(second.refreshToken)).toBeUndefined();
    expect(await sessionOf(third.refreshToken)).toBeDefined();

    // Nothing left to delete; what was kept still works as before.
    expect(await sweepSessions({ db: testbed.db, cutoff })).toEqual({ sessions: 0, refreshTokens: 0 });
    expect((await refresh(fresh.refreshToken)).refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const fifth = await refresh(fourth.refreshToken);
    // A kept spent token still gives its session away.
    expect((await failure(testbed.client.refresh({ refreshToken: third.refreshToken }))).code).toBe(
      Code.Unauthenticated,
    );
    expect((await failure(testbed.client.refresh({ refreshToken: fifth.refreshToken }))).code).toBe(
      Code.Unauthenticated,
    );
  });

  it("sweeps at start, then every period, and stops without waiting the period out", async () => {
    await signUp("leaver");
    const tokens = await login("leaver");
    const session = await sessionOf(tokens.refreshToken);
    await logout(tokens);
    const sweep = startSessionSweep({
      db: testbed.db,
      logger: createLogger({ service: "auth-test", level: "silent" }),
      retention: { keepSeconds: HOUR, everySeconds: 3600 },
      // An hour and a second after the logout.
      now: () => new Date(testbed.now().getTime() + (HOUR + 1) * 1000),
    });
    try {
      await expect
        .poll(
          async () =>
            (
              await testbed.db
                .select()
                .from(sessions)
                .where(eq(sessions.id, session ?? ""))
            ).length,
        )
        .toBe(0);
    } finally {
      const stopping = Date.now();
      await sweep.stop();
      expect(Date.now() - stopping).toBeLessThan(5_000);
    }
  });
});
