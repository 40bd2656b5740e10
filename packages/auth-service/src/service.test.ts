import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fromBinary } from "@bufbuild/protobuf";
import { AccountCreatedSchema } from "@instagram/contracts/auth";
import {
  createAccessTokenSigner,
  type Database,
  type DatabaseHandle,
  type FetchApp,
  generateSigningKey,
  type ServiceRuntime,
  type StartedService,
} from "@instagram/kit";
import { createTestDatabase, createTestRuntime, recordBus } from "@instagram/kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadAuthEnv } from "./env.ts";
import { createAuthService } from "./service.ts";

const PROCEDURE = "/instagram.auth.v1.AuthService";

let dataDir: string;
let runtime: ServiceRuntime;
let database: DatabaseHandle;
let started: StartedService;

async function startAuth(env: Record<string, string>): Promise<StartedService> {
  const module = createAuthService(loadAuthEnv({ DATA_DIR: dataDir, ...env }));
  return module.start({ runtime, db: database.db, logger: runtime.logger, url: "http://auth.test" });
}

async function request(app: FetchApp, path: string, init?: RequestInit): Promise<Response> {
  return app.fetch(new Request(`http://auth.test${path}`, init));
}

function rpc(app: FetchApp, method: string, body: unknown, headers: Record<string, string> = {}) {
  return request(app, `${PROCEDURE}/${method}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "auth-service-"));
  runtime = { ...createTestRuntime(), dataDir };
  database = await createTestDatabase(createAuthService(loadAuthEnv({})));
  started = await startAuth({});
});

afterAll(async () => {
  await started?.stop?.();
  await database?.close();
  await runtime?.close?.();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe("auth service module", () => {
  it("creates its signing key file at first start, private to its owner, and reuses it", async () => {
    const file = join(dataDir, "keys", "auth-signing-key.json");
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, "utf8"))).toMatchObject({ kty: "OKP", crv: "Ed25519" });

    const again = await startAuth({});
    const first = await (await request(started.app, "/.well-known/jwks.json")).json();
    const second = await (await request(again.app, "/.well-known/jwks.json")).json();
    await again.stop?.();
    expect(second).toEqual(first);
  });

  it("signs with JWT_PRIVATE_KEY when it is set", async () => {
    const privateJwk = await generateSigningKey();
    const expected = (await createAccessTokenSigner({ privateJwk, issuer: "x", ttlSeconds: 60 })).jwks();
    const withKey = await startAuth({ JWT_PRIVATE_KEY: JSON.stringify(privateJwk) });
    const response = await request(withKey.app, "/.well-known/jwks.json");
    await withKey.stop?.();
    expect(await response.json()).toEqual(expected);
  });

  it("serves the public JWKS document and the operations endpoints", async () => {
    const response = await request(started.app, "/.well-known/jwks.json");
    expect(response.status).toBe(200);
    const jwks = await response.json();
    expect(jwks.keys[0]).toMatchObject({ kty: "OKP", alg: "EdDSA" });
    expect(jwks.keys[0]).not.toHaveProperty("d");
    expect((await request(started.app, "/healthz")).status).toBe(200);
    expect((await request(started.app, "/readyz")).status).toBe(200);
  });

  it("serves Connect over HTTP and relays accounts.CREATED to the bus", async () => {
    const recording = await recordBus(runtime.bus, ["accounts"], "auth-service-test");
    const received = recording.events;
    const response = await rpc(started.app, "SignUp", {
      username: "Relayed",
      email: "relayed@example.com",
      password: "correct horse",
    });
    expect(response.status).toBe(200);
    const { account } = await response.json();
    expect(account).toMatchObject({ username: "relayed", email: "relayed@example.com" });

    await expect.poll(() => received.length, { timeout: 10_000 }).toBeGreaterThan(0);
    await recording.close();
    const [event] = received;
    expect(event).toMatchObject({ topic: "accounts", type: "CREATED", aggregateId: account.id });
    expect(fromBinary(AccountCreatedSchema, event?.payload ?? new Uint8Array()).username).toBe("relayed");

    const login = await rpc(started.app, "Login", { username: "relayed", password: "correct horse" });
    const { tokens } = await login.json();
    const me = await rpc(started.app, "GetAccount", {}, { authorization: `Bearer ${tokens.accessToken}` });
    expect((await me.json()).account.id).toBe(account.id);
  });

  it("puts field problems in the x-field-errors response header", async () => {
    const response = await rpc(started.app, "SignUp", {
      username: "x",
      email: "x@example.com",
      password: "pw",
    });
    expect(response.status).toBe(400);
    expect(JSON.parse(response.headers.get("x-field-errors") ?? "[]")).toEqual([
      { path: "username", message: "must be 3 to 30 characters" },
      { path: "password", message: "must be 8 to 128 characters" },
    ]);
    expect((await response.json()).code).toBe("invalid_argument");
  });

  it("hides internal failures behind a bare 'internal error'", async () => {
    const secret = "connect ECONNREFUSED db-7.internal:5432";
    const failing = new Proxy({} as Database, {
      get: () => () => {
        throw new Error(secret);
      },
    });
    const module = createAuthService(loadAuthEnv({ DATA_DIR: dataDir }));
    const service = await module.start({
      runtime,
      db: failing,
      logger: runtime.logger,
      url: "http://auth.test",
    });
    await service.stop?.();
    const response = await rpc(service.app, "Login", { username: "someone", password: "correct horse" });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ code: "internal", message: "internal error" });
    expect((await request(service.app, "/readyz")).status).toBe(503);
  });
});
