import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { createTestbed, problemOf } from "./testing/testbed.ts";

describe("unknown addresses and methods", () => {
  it("answers 404 problem+json to an unknown route", async () => {
    const gateway = await createTestbed();
    const response = await gateway.request("/v1/nothing-here");
    expect(response.status).toBe(404);
    expect(await problemOf(response)).toMatchObject({ status: 404, title: "Not Found", type: "about:blank" });
  });

  it("answers 405 with Allow to a known path with another method", async () => {
    const gateway = await createTestbed();
    const response = await gateway.request("/v1/users/bob/follow", { method: "POST" });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("DELETE, PUT");
    expect((await problemOf(response)).status).toBe(405);
    const me = await gateway.request("/v1/accounts/me", { method: "PATCH" });
    expect(me.status).toBe(405);
    expect(me.headers.get("allow")).toBe("DELETE, GET, HEAD");
  });
});

describe("service failures", () => {
  it("answers 503 when a service is unavailable, without its message", async () => {
    const gateway = await createTestbed({
      user: {
        async getProfile() {
          throw new ConnectError("connect ECONNREFUSED user-service.internal:8082", Code.Unavailable);
        },
      },
    });
    const { authorization } = await gateway.signedUp("alice");
    const response = await gateway.request("/v1/users/me", { token: authorization });
    expect(response.status).toBe(503);
    const body = JSON.stringify(await problemOf(response));
    expect(body).not.toContain("user-service.internal");
  });

  it("answers 503 when a service misses its deadline", async () => {
    const gateway = await createTestbed({
      user: {
        async getProfile() {
          throw new ConnectError("deadline", Code.DeadlineExceeded);
        },
      },
    });
    const { authorization } = await gateway.signedUp("alice");
    expect((await gateway.request("/v1/users/me", { token: authorization })).status).toBe(503);
  });

  it("answers 500 without internals to an unexpected failure", async () => {
    const gateway = await createTestbed({
      auth: {
        async signUp() {
          throw new Error('relation "auth.accounts" does not exist at db.internal:5432');
        },
      },
    });
    const response = await gateway.request("/v1/accounts", {
      method: "POST",
      json: { username: "alice", email: "alice@example.com", password: "correct horse" },
    });
    expect(response.status).toBe(500);
    const body = JSON.stringify(await problemOf(response));
    expect(body).not.toMatch(/auth\.accounts|db\.internal|stack/);
  });

  it("answers 500 when a service returns a malformed answer", async () => {
    const gateway = await createTestbed({
      user: {
        async getProfile() {
          return {};
        },
      },
    });
    const { authorization } = await gateway.signedUp("alice");
    expect((await gateway.request("/v1/users/me", { token: authorization })).status).toBe(500);
  });

  it("passes a service's 429 through with its Retry-After", async () => {
    const gateway = await createTestbed({
      auth: {
        async login() {
          throw new ConnectError("too many failed login attempts", Code.ResourceExhausted, {
            "retry-after": "42",
          });
        },
      },
    });
    const response = await gateway.request("/v1/auth/login", {
      method: "POST",
      json: { username: "alice", password: "guess" },
    });
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("42");
    expect((await problemOf(response)).detail).toBe("too many failed login attempts");
  });
});

describe("CORS", () => {
  it("answers a preflight for a REST endpoint with Authorization allowed", async () => {
    const gateway = await createTestbed();
    const response = await gateway.app.request("/v1/users/me", {
      method: "OPTIONS",
      headers: {
        origin: "https://app.example",
        "access-control-request-method": "PATCH",
        "access-control-request-headers": "authorization, content-type",
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-allow-methods")).toContain("PATCH");
    const allowed = response.headers.get("access-control-allow-headers")?.toLowerCase() ?? "";
    expect(allowed).toContain("authorization");
    expect(allowed).toContain("connect-protocol-version");
    expect(allowed).toContain("idempotency-key"); // a browser may send it on the POSTs that take it
  });

  it("allows only the configured origins", async () => {
    const gateway = await createTestbed({ corsOrigins: "https://app.example, https://admin.example" });
    const allowed = await gateway.app.request("/.well-known/jwks.json", {
      headers: { origin: "https://admin.example" },
    });
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://admin.example");
    const other = await gateway.app.request("/.well-known/jwks.json", {
      headers: { origin: "https://evil.example" },
    });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("exposes Connect's and the problem headers on answers", async () => {
    const gateway = await createTestbed();
    const response = await gateway.app.request("/v1/users/me", {
      headers: { origin: "https://app.example" },
    });
    const exposed = response.headers.get("access-control-expose-headers")?.toLowerCase() ?? "";
    for (const header of ["grpc-status", "grpc-message", "retry-after", "www-authenticate"]) {
      expect(exposed).toContain(header);
    }
  });
});

describe("operations", () => {
  it("serves /healthz, and /metrics to the metrics token only", async () => {
    const gateway = await createTestbed({ metricsToken: "metrics-token-of-the-test" });
    expect((await gateway.app.request("/healthz")).status).toBe(200);
    expect((await gateway.app.request("/metrics")).status).toBe(401);
    const metrics = await gateway.app.request("/metrics", {
      headers: { authorization: "Bearer metrics-token-of-the-test" },
    });
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain("http_requests_total");
  });

  it("reports not ready while a service it needs is down", async () => {
    let up = false;
    const gateway = await createTestbed({
      readiness: async () => {
        if (!up) throw new Error("no instance of auth");
      },
    });
    expect((await gateway.app.request("/readyz")).status).toBe(503);
    up = true;
    expect((await gateway.app.request("/readyz")).status).toBe(200);
  });
});
