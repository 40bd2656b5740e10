import { describe, expect, it } from "vitest";
import { createTestbed, problemOf, type Testbed } from "../testing/testbed.ts";

// One login limit for both doors: REST logins and relayed Connect logins count together, per
// client address and per account name.

const client = "203.0.113.7";

function restLogin(gateway: Testbed, username: string, password = "wrong horse") {
  return gateway.request("/v1/auth/login", { method: "POST", json: { username, password } });
}

function relayLogin(gateway: Testbed, username: string, password = "wrong horse") {
  return gateway.request("/instagram.auth.v1.AuthService/Login", {
    method: "POST",
    headers: { "content-type": "application/json", "connect-protocol-version": "1" },
    body: JSON.stringify({ username, password }),
  });
}

describe("the login limit on both doors", () => {
  it("refuses relay logins once REST logins from the address are throttled", async () => {
    const gateway = await createTestbed({
      limits: {
        account: { maxFailures: 1000, windowSeconds: 60 },
        client: { maxAttempts: 3, windowSeconds: 60 },
      },
      clientAddress: () => client,
    });
    for (const name of ["ann", "bob", "cat"]) expect((await restLogin(gateway, name)).status).toBe(401);
    const rest = await restLogin(gateway, "dan");
    expect(rest.status).toBe(429);
    expect(rest.headers.get("retry-after")).toMatch(/^\d+$/);
    await problemOf(rest);

    const relayed = await relayLogin(gateway, "eve");
    expect(relayed.status).toBe(429);
    expect(await relayed.json()).toMatchObject({ code: "resource_exhausted" });
    expect(gateway.reached.filter((procedure) => procedure.endsWith("/Login"))).toHaveLength(3);
  });

  it("counts relay logins against the address: password spraying through the relay stops", async () => {
    const gateway = await createTestbed({
      limits: {
        account: { maxFailures: 1000, windowSeconds: 60 },
        client: { maxAttempts: 5, windowSeconds: 60 },
      },
      clientAddress: () => client,
    });
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await relayLogin(gateway, `user${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    expect((await restLogin(gateway, "someone")).status).toBe(429);
  });

  it("counts failures per account name across doors, and a success clears them", async () => {
    const gateway = await createTestbed({
      limits: { account: { maxFailures: 2, windowSeconds: 60 } },
      clientAddress: () => client,
    });
    await gateway.signedUp("alice", "correct horse");
    expect((await relayLogin(gateway, "alice")).status).toBe(401);
    expect((await relayLogin(gateway, "alice", "correct horse")).status).toBe(200);
    expect((await relayLogin(gateway, "alice")).status).toBe(401);
    expect((await restLogin(gateway, "alice")).status).toBe(401);
    const locked = await relayLogin(gateway, "Alice", "correct horse");
    expect(locked.status).toBe(429);
    expect(locked.headers.get("retry-after")).toMatch(/^\d+$/);
    expect((await restLogin(gateway, "alice", "correct horse")).status).toBe(429);
  });
});
