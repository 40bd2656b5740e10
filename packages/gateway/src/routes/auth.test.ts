import { describe, expect, it } from "vitest";
import { createTestbed, problemOf } from "../testing/testbed.ts";

async function login(gateway: Awaited<ReturnType<typeof createTestbed>>, username: string, password: string) {
  return gateway.request("/v1/auth/login", { method: "POST", json: { username, password } });
}

describe("POST /v1/auth/login", () => {
  it("returns a token pair whose access token opens protected endpoints", async () => {
    const gateway = await createTestbed();
    await gateway.signedUp("alice", "correct horse");
    const response = await login(gateway, "alice", "correct horse");
    expect(response.status).toBe(200);
    const pair = await response.json();
    expect(pair).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      tokenType: "Bearer",
      expiresIn: 900,
    });
    const me = await gateway.request("/v1/accounts/me", { token: `Bearer ${pair.accessToken}` });
    expect(me.status).toBe(200);
  });

  it("accepts the email as the username", async () => {
    const gateway = await createTestbed();
    await gateway.signedUp("alice", "correct horse");
    expect((await login(gateway, "alice@example.com", "correct horse")).status).toBe(200);
  });

  it("answers 401 to a wrong password and to an unknown user alike", async () => {
    const gateway = await createTestbed();
    await gateway.signedUp("alice", "correct horse");
    const wrong = await login(gateway, "alice", "wrong horse");
    const unknown = await login(gateway, "nobody", "wrong horse");
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    const [a, b] = [await problemOf(wrong), await problemOf(unknown)];
    expect(a).toEqual(b);
  });

  it("answers 400 to missing fields", async () => {
    const gateway = await createTestbed();
    const response = await gateway.request("/v1/auth/login", { method: "POST", json: { username: "alice" } });
    expect(response.status).toBe(400);
    expect((await problemOf(response)).errors).toEqual([{ path: "password", message: "is required" }]);
  });
});

describe("login rate limit", () => {
  const limits = {
    account: { maxFailures: 3, windowSeconds: 900 },
    client: { maxAttempts: 5, windowSeconds: 60 },
  };

  it("answers 429 with Retry-After once an account's failures fill the window, even with the right password", async () => {
    let now = 1_000_000;
    const gateway = await createTestbed({ limits, now: () => now });
    await gateway.signedUp("alice", "correct horse");
    for (let i = 0; i < 3; i++) expect((await login(gateway, "Alice", "guess")).status).toBe(401);
    const locked = await login(gateway, "alice", "correct horse");
    expect(locked.status).toBe(429);
    expect(locked.headers.get("retry-after")).toBe("900");
    expect((await problemOf(locked)).status).toBe(429);
    now += 900_000;
    expect((await login(gateway, "alice", "correct horse")).status).toBe(200);
  });

  it("limits attempts per client address, counting successes too", async () => {
    const gateway = await createTestbed({ limits, clientAddress: (c) => c.req.header("x-test-client") });
    await gateway.signedUp("alice", "correct horse");
    const from = (client: string) =>
      gateway.request("/v1/auth/login", {
        method: "POST",
        headers: { "x-test-client": client },
        json: { username: "alice", password: "correct horse" },
      });
    for (let i = 0; i < 5; i++) expect((await from("192.0.2.1")).status).toBe(200);
    const limited = await from("192.0.2.1");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(Number(limited.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    expect((await from("192.0.2.2")).status).toBe(200);
  });

  it("does not count a login that fails for another reason than the password against the account", async () => {
    const gateway = await createTestbed({ limits });
    await gateway.signedUp("alice", "correct horse");
    for (let i = 0; i < 5; i++) {
      const response = await gateway.request("/v1/auth/login", {
        method: "POST",
        json: { username: "alice" },
      });
      expect(response.status).toBe(400);
    }
    expect((await login(gateway, "alice", "correct horse")).status).toBe(200);
  });
});

describe("POST /v1/auth/refresh", () => {
  it("trades a refresh token for a new pair and spends the old one", async () => {
    const gateway = await createTestbed();
    await gateway.signedUp("alice", "correct horse");
    const first = await (await login(gateway, "alice", "correct horse")).json();
    const refreshed = await gateway.request("/v1/auth/refresh", {
      method: "POST",
      json: { refreshToken: first.refreshToken },
    });
    expect(refreshed.status).toBe(200);
    const second = await refreshed.json();
    expect(second.tokenType).toBe("Bearer");
    expect(second.refreshToken).not.toBe(first.refreshToken);
    const reused = await gateway.request("/v1/auth/refresh", {
      method: "POST",
      json: { refreshToken: first.refreshToken },
    });
    expect(reused.status).toBe(401);
    await problemOf(reused);
  });

  it("needs no access token", async () => {
    const gateway = await createTestbed();
    const response = await gateway.request("/v1/auth/refresh", {
      method: "POST",
      json: { refreshToken: "nope" },
    });
    expect(response.status).toBe(401);
    expect(gateway.world.received).toEqual([]);
  });
});

describe("POST /v1/auth/logout", () => {
  it("ends the session: 204, after which the refresh token is refused", async () => {
    const gateway = await createTestbed();
    await gateway.signedUp("alice", "correct horse");
    const pair = await (await login(gateway, "alice", "correct horse")).json();
    const response = await gateway.request("/v1/auth/logout", {
      method: "POST",
      token: `Bearer ${pair.accessToken}`,
      json: { refreshToken: pair.refreshToken },
    });
    expect(response.status).toBe(204);
    const refreshed = await gateway.request("/v1/auth/refresh", {
      method: "POST",
      json: { refreshToken: pair.refreshToken },
    });
    expect(refreshed.status).toBe(401);
  });

  it("answers 401 without an access token", async () => {
    const gateway = await createTestbed();
    const response = await gateway.request("/v1/auth/logout", {
      method: "POST",
      json: { refreshToken: "x" },
    });
    expect(response.status).toBe(401);
  });
});

describe("GET /.well-known/jwks.json", () => {
  it("publishes auth-service's public keys without a token", async () => {
    const gateway = await createTestbed();
    const response = await gateway.request("/.well-known/jwks.json");
    expect(response.status).toBe(200);
    const jwks = await response.json();
    expect(jwks.keys).toEqual([gateway.keys.publicJwk]);
    expect(jwks.keys[0]).not.toHaveProperty("d");
  });
});
