import { Code } from "@connectrpc/connect";
import { type DatabaseHandle, migrate } from "@instagram/kit";
import { createPostgresConnector } from "@instagram/kit/node";
import { connectFailure as failure } from "@instagram/kit/testing";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loginFailures } from "../db/schema/index.ts";
import { AUTH_SCHEMA, authMigrations } from "../service.ts";
import { createTestbed, type Testbed, LOGIN_FAILURE_WINDOW_SECONDS as WINDOW } from "../testing/testbed.ts";

// Two replicas of auth-service on one real PostgreSQL: the lockout holds across them.
const url = process.env.TEST_DATABASE_URL;
if (url === undefined || url === "") {
  throw new Error("TEST_DATABASE_URL is not set: these tests need a real PostgreSQL (postgres://…)");
}

const MAX = 5;
const password = "correct horse";
let handle: DatabaseHandle;
let replicas: [Testbed, Testbed];

beforeAll(async () => {
  handle = await createPostgresConnector({ url, max: 20 }).connect();
  await handle.db.execute(sql`drop schema if exists ${sql.identifier(AUTH_SCHEMA)} cascade`);
  await migrate(handle, authMigrations);
  replicas = [
    await createTestbed({ database: handle.db, maxLoginFailures: MAX }),
    await createTestbed({ database: handle.db, maxLoginFailures: MAX }),
  ];
});

afterAll(async () => {
  await Promise.all(replicas?.map((replica) => replica.close()) ?? []);
  await handle?.close();
});

/** The Connect code a login through `replica` ends with (OK when it succeeded). */
async function loginCode(
  replica: Testbed,
  username: string,
  withPassword = "wrong password",
): Promise<Code | "ok"> {
  try {
    await replica.client.login({ username, password: withPassword });
    return "ok";
  } catch (error) {
    return (await failure(Promise.reject(error))).code;
  }
}

async function signUp(username: string): Promise<string> {
  const { account } = await replicas[0].client.signUp({
    username,
    email: `${username}@example.com`,
    password,
  });
  return account?.id ?? "";
}

const advanceBoth = (seconds: number) => {
  for (const replica of replicas) replica.advance(seconds);
};

describe("login lockout across two replicas (PostgreSQL)", () => {
  it("5 failures spread over both replicas lock the account on both, by username and by email", async () => {
    await signUp("paula");
    for (let i = 0; i < MAX; i++) {
      const name = i % 2 === 0 ? "paula" : "paula@example.com";
      expect(await loginCode(replicas[i % 2] as Testbed, name)).toBe(Code.Unauthenticated);
    }
    for (const replica of replicas) {
      for (const name of ["paula", "PAULA@example.com"]) {
        const locked = await failure(replica.client.login({ username: name, password }));
        expect(locked.code, name).toBe(Code.ResourceExhausted);
        expect(Number(locked.metadata.get("retry-after"))).toBeGreaterThan(0);
      }
    }
    advanceBoth(WINDOW);
    expect(await loginCode(replicas[1], "paula", password)).toBe("ok");
  });

  it("a success on one replica clears the failures the other counted", async () => {
    await signUp("quinn");
    for (let i = 0; i < MAX - 1; i++)
      expect(await loginCode(replicas[0], "quinn")).toBe(Code.Unauthenticated);
    expect(await loginCode(replicas[1], "quinn", password)).toBe("ok");
    for (let i = 0; i < MAX; i++) expect(await loginCode(replicas[1], "quinn")).toBe(Code.Unauthenticated);
    expect(await loginCode(replicas[0], "quinn", password)).toBe(Code.ResourceExhausted);
    advanceBoth(WINDOW);
  });

  it("a burst of concurrent guesses on both replicas gets exactly 5 checked, none lost", async () => {
    const id = await signUp("rosa");
    const burst = Array.from({ length: 40 }, (_, i) =>
      loginCode(replicas[i % 2] as Testbed, i % 3 ? "rosa" : "rosa@example.com"),
    );
    const codes = await Promise.all(burst);
    expect(codes.filter((code) => code === Code.Unauthenticated)).toHaveLength(MAX);
    expect(codes.filter((code) => code === Code.ResourceExhausted)).toHaveLength(40 - MAX);
    const [row] = await handle.db
      .select()
      .from(loginFailures)
      .where(eq(loginFailures.subject, `account:${id}`));
    expect(row?.attempts).toBe(MAX + 1);
    advanceBoth(WINDOW);
  });
});
