import { fromBinary } from "@bufbuild/protobuf";
import { AuthService } from "@instagram/contracts/auth";
import { UserCreatedSchema } from "@instagram/contracts/user";
import {
  createServiceApp,
  type DatabaseHandle,
  type EventEnvelope,
  type FetchApp,
  FIELD_ERRORS_KEY,
  newId,
  type ServiceRuntime,
  type StartedService,
} from "@instagram/kit";
import {
  createTestDatabase,
  createTestRuntime,
  createTestTokens,
  recordBus,
  type TestTokens,
  testEvent,
} from "@instagram/kit/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createUserService, loadUserEnv } from "./service.ts";

// The module as launchService runs it: real in-process bus, relay and consumer, the auth
// interceptor with keys fetched from "auth-service" (GetJwks of a stand-in, reached by a stubbed fetch).
const PROCEDURE = "/instagram.user.v1.UserService";
const AUTH_URL = "http://auth.test";

let runtime: ServiceRuntime;
let database: DatabaseHandle;
let started: StartedService;
let tokens: TestTokens;
let usersEvents: EventEnvelope[] = [];

function rpc(app: FetchApp, method: string, body: unknown, headers: Record<string, string> = {}) {
  return app.fetch(
    new Request(`http://user.test${PROCEDURE}/${method}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    }),
  );
}

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  tokens = await createTestTokens();
  const realFetch = globalThis.fetch;
  const auth = createServiceApp({
    name: "auth",
    readiness: async () => {},
    routes: (router) =>
      router.service(AuthService, {
        getJwks: async () => ({ jwksJson: JSON.stringify(tokens.signer.jwks()) }),
      }),
  });
  vi.stubGlobal("fetch", async (input: string | URL | Request, init?: RequestInit) => {
    const request = new Request(input, init);
    if (request.url.startsWith(`${AUTH_URL}/`)) return auth.fetch(request);
    return realFetch(input, init);
  });
  runtime = createTestRuntime({ urls: { auth: [AUTH_URL] } });
  const module = createUserService(loadUserEnv({}));
  database = await createTestDatabase(module);
  started = await module.start({ runtime, db: database.db, logger: runtime.logger, url: "http://user.test" });
  usersEvents = (await recordBus(runtime.bus, ["users"], "service-test")).events;
});

afterAll(async () => {
  await started?.stop?.();
  await database?.close();
  await runtime?.close?.();
  vi.unstubAllGlobals();
});

describe("user service module", () => {
  it("answers /healthz and /readyz", async () => {
    expect((await started.app.fetch(new Request("http://user.test/healthz"))).status).toBe(200);
    expect((await started.app.fetch(new Request("http://user.test/readyz"))).status).toBe(200);
  });

  it("turns accounts.CREATED from the bus into a profile and relays users.CREATED to the bus", async () => {
    const id = newId();
    await runtime.bus.send([
      testEvent("accounts", "CREATED", { accountId: id, username: "wired" }, { aggregateId: id }),
    ]);
    const profile = await eventually(async () => {
      const response = await rpc(started.app, "GetProfile", { username: "wired" });
      return response.status === 200 ? ((await response.json()) as { profile: { id: string } }) : undefined;
    });
    expect(profile.profile.id).toBe(id);
    const created = await eventually(async () => usersEvents.find((e) => e.type === "CREATED"));
    expect(created.aggregateId).toBe(id);
    expect(fromBinary(UserCreatedSchema, created.payload)).toMatchObject({ userId: id, username: "wired" });
  });

  it("verifies callers with the keys of auth-service", async () => {
    const id = newId();
    await runtime.bus.send([
      testEvent("accounts", "CREATED", { accountId: id, username: "caller" }, { aggregateId: id }),
    ]);
    await eventually(async () =>
      (await rpc(started.app, "GetProfile", { username: "caller" })).status === 200 ? true : undefined,
    );
    const authorization = await tokens.authorizationFor(id);
    const me = await rpc(started.app, "GetProfile", { me: true }, { authorization });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { profile: { username: string } }).profile.username).toBe("caller");
    const anonymous = await rpc(started.app, "GetProfile", { me: true });
    expect(anonymous.status).toBe(401);
    const forged = await rpc(started.app, "Follow", { username: "wired" }, { authorization: "Bearer x.y.z" });
    expect(forged.status).toBe(401);
  });

  it("sends field problems in the x-field-errors header", async () => {
    const response = await rpc(started.app, "GetProfile", { username: "no way" });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { code: string }).code).toBe("invalid_argument");
    expect(JSON.parse(response.headers.get(FIELD_ERRORS_KEY) ?? "[]")).toEqual([
      { path: "username", message: "may only contain letters, digits, '.' and '_'" },
    ]);
  });
});
