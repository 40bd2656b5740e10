import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type ConnectRouter, createClient } from "@connectrpc/connect";
import { createGrpcTransport, Http2SessionManager } from "@connectrpc/connect-node";
import { AuthService } from "@instagram/contracts/auth";
import {
  Health,
  HealthCheckRequestSchema,
  HealthCheckResponse_ServingStatus,
} from "@instagram/contracts/grpc";
import { afterEach, describe, expect, it } from "vitest";
import { createServiceTransport } from "../discovery/transport.ts";
import { launchService } from "../runtime/launch.ts";
import type { LaunchedService } from "../runtime/launch-module.ts";
import type { ServiceModule, ServiceRuntime } from "../runtime/types.ts";
import { createServiceApp } from "../server/service-app.ts";
import { createTestRuntime, createTestTokens } from "../testing.ts";
import { callingServiceOf } from "./interceptors.ts";

// The kit installs the service-token check on every launched service, on both of its paths
// (HTTP/1.1 through the app, HTTP/2 through the node adapter), and the calls a launched module
// makes through its runtime carry its own token.

const routes = (router: ConnectRouter) =>
  router.service(AuthService, {
    async listRevokedSessions(_req, ctx) {
      return { sessions: [{ sessionId: `for ${callingServiceOf(ctx)}` }] };
    },
    async getJwks() {
      return { jwksJson: "{}" };
    },
  });

function authLike(): ServiceModule {
  return {
    name: "auth",
    async start() {
      return { app: createServiceApp({ name: "auth", routes, readiness: async () => {} }), routes };
    },
  };
}

/** A module that calls auth's internal method through its runtime, as every service does. */
function callerModule(name: string, seen: { runtime?: ServiceRuntime }): ServiceModule {
  return {
    name,
    async start({ runtime }) {
      seen.runtime = runtime;
      return { app: createServiceApp({ name, routes: () => {}, readiness: async () => {} }) };
    },
  };
}

let runtime: ServiceRuntime | undefined;
const launched: LaunchedService[] = [];
afterEach(async () => {
  for (const service of launched.splice(0).reverse()) await service.stop();
  await runtime?.close?.();
  runtime = undefined;
});

async function connectJson(url: string, authorization?: string): Promise<Response> {
  return fetch(`${url}/instagram.auth.v1.AuthService/ListRevokedSessions`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "connect-protocol-version": "1",
      ...(authorization ? { authorization } : {}),
    },
    body: "{}",
  });
}

describe("service identity on launched services", () => {
  it("refuses anonymous and user callers of an internal method on both paths; health stays open", async () => {
    runtime = createTestRuntime();
    const auth = await launchService(authLike(), runtime, { host: "127.0.0.1", port: 0 });
    launched.push(auth);

    const anonymous = await connectJson(auth.url);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ code: "unauthenticated" });
    const user = await connectJson(
      auth.url,
      `Bearer ${await (await createTestTokens()).tokenFor("account-1")}`,
    );
    expect(user.status).toBe(401);

    const sessionManager = new Http2SessionManager(auth.url);
    try {
      const grpc = createGrpcTransport({ baseUrl: auth.url, sessionManager });
      const error = await createClient(AuthService, grpc).listRevokedSessions({}).catch(ConnectError.from);
      expect(error).toBeInstanceOf(ConnectError);
      expect((error as ConnectError).code).toBe(Code.Unauthenticated);
      expect((await createClient(AuthService, grpc).getJwks({})).jwksJson).toBe("{}");
      const health = await createClient(Health, grpc).check(
        create(HealthCheckRequestSchema, { service: "" }),
      );
      expect(health.status).toBe(HealthCheckResponse_ServingStatus.SERVING);
    } finally {
      sessionManager.abort();
    }
  });

  it("answers a launched module's own calls, which carry its name", async () => {
    runtime = createTestRuntime();
    const seen: { runtime?: ServiceRuntime } = {};
    launched.push(await launchService(authLike(), runtime, { host: "127.0.0.1", port: 0 }));
    launched.push(
      await launchService(callerModule("comment", seen), runtime, { host: "127.0.0.1", port: 0 }),
    );

    const own = seen.runtime as ServiceRuntime;
    const client = createClient(
      AuthService,
      createServiceTransport({ discovery: own.discovery, service: "auth", instances: own.instances }),
    );
    expect((await client.listRevokedSessions({})).sessions[0]?.sessionId).toBe("for comment");

    // The runtime the process was given signs nothing: only what a module is handed does.
    const bare = createClient(
      AuthService,
      createServiceTransport({ discovery: runtime.discovery, service: "auth" }),
    );
    const error = await bare.listRevokedSessions({}).catch(ConnectError.from);
    expect((error as ConnectError).code).toBe(Code.Unauthenticated);
  });
});
