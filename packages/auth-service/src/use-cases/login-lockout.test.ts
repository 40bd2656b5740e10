import { Code } from "@connectrpc/connect";
import { connectFailure as failure } from "@instagram/kit/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loginFailures } from "../db/schema/index.ts";
import { createTestbed, type Testbed, LOGIN_FAILURE_WINDOW_SECONDS as WINDOW } from "../testing/testbed.ts";
import { sweepLoginFailures } from "./session-retention.ts";

// The lockout as one replica applies it (PGlite); login-lockout.int.test.ts runs two on PostgreSQL.
let testbed: Testbed;
const password = "correct horse";

beforeAll(async () => {
  testbed = await createTestbed();
});

afterAll(async () => {
  await testbed?.close();
});

async function signUp(username: string): Promise<string> {
  const { account } = await testbed.client.signUp({ username, email: `${username}@example.com`, password });
  return account?.id ?? "";
}

/** The Connect code a login ends with (OK when it succeeded). */
async function loginCode(username: string, withPassword = "wrong password"): Promise<Code | "ok"> {
  try {
    await testbed.client.login({ username, password: withPassword });
    return "ok";
  } catch (error) {
    return (await failure(Promise.reject(error))).code;
  }
}

async function failTimes(username: string, times: number): Promise<void> {
  for (let i = 0; i < times; i++) expect(await loginCode(username)).toBe(Code.Unauthenticated);
}

describe("login lockout (embedded)", () => {
  it("the window opens at the first failure: later failures do not push it back", async () => {
    await signUp("wendy");
    await failTimes("wendy", 2);
    testbed.advance(30);
    await failTimes("wendy", testbed.maxLoginFailures - 2);
    const locked = await failure(testbed.client.login({ username: "wendy", password }));
    expect(locked.code).toBe(Code.ResourceExhausted);
    expect(locked.metadata.get("retry-after")).toBe(String(WINDOW - 30));
    testbed.advance(15);
    // Refused attempts do not extend the lock either.
    expect(await loginCode("wendy", password)).toBe(Code.ResourceExhausted);
    testbed.advance(WINDOW - 45);
    expect(await loginCode("wendy", password)).toBe("ok");
  });

  it("a success clears the account's failures", async () => {
    await signUp("sam");
    await failTimes("sam", testbed.maxLoginFailures - 1);
    expect(await loginCode("sam@example.com", password)).toBe("ok");
    await failTimes("SAM", testbed.maxLoginFailures);
    expect(await loginCode("sam", password)).toBe(Code.ResourceExhausted);
    testbed.advance(WINDOW);
  });

  it("failures by username lock the login by email, with one count for the account", async () => {
    const id = await signUp("ursula");
    await failTimes("ursula", testbed.maxLoginFailures - 1);
    await failTimes("ursula@example.com", 1);
    expect(await loginCode("Ursula@Example.com", password)).toBe(Code.ResourceExhausted);
    expect(await loginCode("ursula", password)).toBe(Code.ResourceExhausted);
    const rows = await testbed.db
      .select()
      .from(loginFailures)
      .where(eq(loginFailures.subject, `account:${id}`));
    expect(rows).toHaveLength(1);
    testbed.advance(WINDOW);
  });

  it("counts an attempt before its password is checked: a burst at once gets maxFailures guesses", async () => {
    await signUp("bert");
    const codes = await Promise.all(Array.from({ length: 12 }, () => loginCode("bert")));
    expect(codes.filter((code) => code === Code.Unauthenticated)).toHaveLength(testbed.maxLoginFailures);
    expect(codes.filter((code) => code === Code.ResourceExhausted)).toHaveLength(
      12 - testbed.maxLoginFailures,
    );
    testbed.advance(WINDOW);
  });

  it("locks an unknown name like an account, without storing the name", async () => {
    await failTimes("no-such-person", testbed.maxLoginFailures);
    expect(await loginCode("No-Such-Person")).toBe(Code.ResourceExhausted);
    const subjects = (await testbed.db.select().from(loginFailures)).map((row) => row.subject);
    expect(subjects.some((subject) => subject.includes("no-such-person"))).toBe(false);
    testbed.advance(WINDOW);
  });

  it("the sweep deletes the counts of windows that are over and keeps the open ones", async () => {
    await signUp("olga");
    await failTimes("olga", 1);
    testbed.advance(WINDOW);
    await signUp("oscar");
    await failTimes("oscar", 1);
    const lockout = { maxFailures: testbed.maxLoginFailures, windowSeconds: WINDOW };
    const removed = await sweepLoginFailures({ db: testbed.db, lockout, now: testbed.now(), batchSize: 2 });
    expect(removed).toBeGreaterThanOrEqual(1);
    expect(await testbed.db.select().from(loginFailures)).toHaveLength(1);
  });
});
