import { AuthService } from "@instagram/contracts/auth";
import { UserService } from "@instagram/contracts/user";
import { createServiceApp, type ServiceModule, type ServiceRuntime } from "@instagram/kit";
import { type LaunchedService, launchService } from "@instagram/kit/node";
import { createTestRuntime } from "@instagram/kit/testing";
import { afterEach, describe, expect, it } from "vitest";
import { createGatewayService, loadGatewayEnv } from "./service.ts";
import { emptyWorld, type FakeWorld, fakeAuthService, fakeUserService } from "./testing/fake-services.ts";
import { createTokenKeys, type TokenKeys } from "./testing/token-keys.ts";

const local = { host: "127.0.0.1", port: 0 };
const launched: LaunchedService[] = [];
const runtimes: ServiceRuntime[] = [];

afterEach(async () => {
  for (const service of launched.splice(0).reverse()) await service.stop();
  for (const runtime of runtimes.splice(0)) await runtime.close?.();
});

function fakeModule(name: "auth" | "user", keys: TokenKeys, world: FakeWorld): ServiceModule {
  return {
    name,
    async start() {
      const app = createServiceApp({
        name,
        readiness: async () => {},
        routes: (router) => {
          if (name === "auth") router.service(AuthService, fakeAuthService(keys, world));
          else router.service(UserService, fakeUserService(keys, world));
        },
      });
      return { app };
    },
  };
}

/** The gateway as `main.ts` runs it: a real port, kit transports, discovery, fake services over HTTP. */
async function stack(env: Record<string, string> = {}, opts: { services?: boolean } = {}) {
  const runtime = createTestRuntime({
    urls: { auth: ["http://127.0.0.1:9"], user: ["http://127.0.0.1:9"] },
  });
  runtimes.push(runtime);
  const keys = await createTokenKeys();
  const world = emptyWorld();
  if (opts.services !== false) {
    launched.push(await launchService(fakeModule("auth", keys, world), runtime, local));
    launched.push(await launchService(fakeModule("user", keys, world), runtime, local));
  }
  const gateway = await launchService(createGatewayService(loadGatewayEnv(env)), runtime, local);
  launched.push(gateway);
  const call = (path: string, init: RequestInit & { json?: unknown } = {}) => {
    const { json, ...rest } = init;
    const headers = new Headers(rest.headers);
    if (json !== undefined) headers.set("content-type", "application/json");
    return fetch(`${gateway.url}${path}`, {
      ...rest,
      headers,
      body: json === undefined ? rest.body : JSON.stringify(json),
    });
  };
  return { call, world };
}

describe("the gateway as a launched service", () => {
  it("signs up, logs in and reads the account through real services", async () => {
    const { call } = await stack();
    const signUp = await call("/v1/accounts", {
      method: "POST",
      json: { username: "alice", email: "alice@example.com", password: "correct horse" },
    });
    expect(signUp.status).toBe(201);
    const login = await call("/v1/auth/login", {
      method: "POST",
      json: { username: "alice", password: "correct horse" },
    });
    expect(login.status).toBe(200);
    const { accessToken } = await login.json();
    const me = await call("/v1/users/me", { headers: { authorization: `Bearer ${accessToken}` } });
    expect(me.status).toBe(200);
    expect((await me.json()).username).toBe("alice");
    expect((await call("/readyz")).status).toBe(200);
  });

  it("answers 503 problem+json and is not ready while the services are unreachable", async () => {
    const { call } = await stack({}, { services: false });
    const signUp = await call("/v1/accounts", {
      method: "POST",
      json: { username: "alice", email: "alice@example.com", password: "correct horse" },
    });
    expect(signUp.status).toBe(503);
    expect(signUp.headers.get("content-type")).toBe("application/problem+json");
    expect(await signUp.text()).not.toContain("127.0.0.1");
    const keys = await createTokenKeys();
    const me = await call("/v1/users/me", {
      headers: { authorization: `Bearer ${await keys.sign("acc-1")}` },
    });
    expect(me.status).toBe(503);
    expect((await call("/readyz")).status).toBe(503);
    expect((await call("/healthz")).status).toBe(200);
  });

  it("limits logins per socket address, ignoring X-Forwarded-For from untrusted clients", async () => {
    const { call } = await stack({ LOGIN_RATE_CLIENT_MAX_ATTEMPTS: "2" });
    const attempt = (forwardedFor: string) =>
      call("/v1/auth/login", {
        method: "POST",
        headers: { "x-forwarded-for": forwardedFor },
        json: { username: "nobody", password: "whatever1" },
      });
    expect((await attempt("203.0.113.1")).status).toBe(401);
    expect((await attempt("203.0.113.2")).status).toBe(401);
    const limited = await attempt("203.0.113.3");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("behind a trusted proxy, limits logins per the address the proxy saw", async () => {
    const { call } = await stack({ LOGIN_RATE_CLIENT_MAX_ATTEMPTS: "2", TRUSTED_PROXY: "true" });
    const attempt = (forwardedFor: string) =>
      call("/v1/auth/login", {
        method: "POST",
        headers: { "x-forwarded-for": forwardedFor },
        json: { username: "nobody", password: "whatever1" },
      });
    expect((await attempt("1.2.3.4, 203.0.113.1")).status).toBe(401);
    expect((await attempt("5.6.7.8, 203.0.113.1")).status).toBe(401);
    expect((await attempt("9.9.9.9, 203.0.113.1")).status).toBe(429);
    expect((await attempt("1.2.3.4, 203.0.113.2")).status).toBe(401);
  });
});

describe("gateway configuration", () => {
  it("has the documented defaults", () => {
    const env = loadGatewayEnv({});
    expect(env).toMatchObject({
      PORT: 8080,
      CORS_ORIGINS: "*",
      MAX_JSON_BODY_BYTES: 65536,
      LOGIN_RATE_ACCOUNT_MAX_FAILURES: 5,
      LOGIN_RATE_ACCOUNT_WINDOW_SECONDS: 900,
      LOGIN_RATE_CLIENT_MAX_ATTEMPTS: 20,
      LOGIN_RATE_CLIENT_WINDOW_SECONDS: 60,
      TRUSTED_PROXY: false,
    });
  });

  it("names every bad variable", () => {
    expect(() => loadGatewayEnv({ MAX_JSON_BODY_BYTES: "lots", TRUSTED_PROXY: "maybe" })).toThrow(
      /MAX_JSON_BODY_BYTES[\s\S]*TRUSTED_PROXY|TRUSTED_PROXY[\s\S]*MAX_JSON_BODY_BYTES/,
    );
  });
});
