import { createClient } from "@connectrpc/connect";
import { createGrpcTransport, Http2SessionManager } from "@connectrpc/connect-node";
import { AuthService } from "@instagram/contracts/auth";
import { afterEach, describe, expect, it } from "vitest";
import { createServiceTransport, forwardAuthorization } from "../discovery/transport.ts";
import type { FetchApp } from "../server/fetch-app.ts";
import { listenNode } from "../server/node-server.ts";
import { createTestRuntime, createTestTokens } from "../testing.ts";
import { launchService } from "./launch.ts";
import { launchModule } from "./launch-module.ts";
import { createGreeterModule } from "./test-fixtures/greeter.ts";
import type { ServiceRuntime } from "./types.ts";

let runtime: ServiceRuntime | undefined;
afterEach(async () => {
  await runtime?.close?.();
  runtime = undefined;
});

describe("launchService", () => {
  it("migrates, starts with its own URL, serves Connect and gRPC, registers; stop undoes it in order", async () => {
    const tokens = await createTestTokens();
    const events: string[] = [];
    runtime = createTestRuntime();
    const discovery = runtime.discovery;
    const tracked = {
      ...discovery,
      async deregister(instance: Parameters<typeof discovery.deregister>[0]) {
        events.push("deregister");
        await discovery.deregister(instance);
      },
    };
    runtime = { ...runtime, discovery: tracked };

    const launched = await launchService(
      createGreeterModule({ verifier: tokens.verifier, events }),
      runtime,
      {
        host: "127.0.0.1",
        port: 0,
      },
    );
    expect(launched.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(events).toEqual([`start ${launched.url}`]);
    expect(await discovery.resolve("greeter")).toEqual([launched.url]);

    const transport = createServiceTransport({
      discovery,
      service: "greeter",
      interceptors: [forwardAuthorization(await tokens.tokenFor("account-1"))],
    });
    const viaConnect = JSON.parse((await createClient(AuthService, transport).getJwks({})).jwksJson);
    expect(viaConnect).toEqual({ greeting: "hello", caller: "account-1" });

    const sessionManager = new Http2SessionManager(launched.url);
    const grpc = createClient(AuthService, createGrpcTransport({ baseUrl: launched.url, sessionManager }));
    expect(JSON.parse((await grpc.getJwks({})).jwksJson)).toEqual({ greeting: "hello", caller: null });
    sessionManager.abort();

    expect((await fetch(`${launched.url}/readyz`)).status).toBe(200);

    await launched.stop();
    expect(events.slice(1)).toEqual(["deregister", "module stop"]);
    expect(await discovery.resolve("greeter")).toEqual([]);
    await expect(fetch(`${launched.url}/healthz`)).rejects.toThrow();
    await launched.stop(); // idempotent
  }, 60_000); // PGlite boots in seconds on a busy machine

  it("releases the port when the module fails to start", async () => {
    const tokens = await createTestTokens();
    runtime = createTestRuntime();
    const failing = {
      ...createGreeterModule({ verifier: tokens.verifier, events: [] }),
      schema: undefined,
      start: async () => {
        throw new Error("boom");
      },
    };
    const probe = await listenNode({ host: "127.0.0.1", port: 0 });
    await probe.close();
    await expect(launchService(failing, runtime, { host: "127.0.0.1", port: probe.port })).rejects.toThrow(
      "boom",
    );
    expect(await runtime.discovery.resolve("greeter")).toEqual([]);
    const again = await listenNode({ host: "127.0.0.1", port: probe.port });
    await again.close();
  });
});

describe("launchModule", () => {
  it("serves a started module on any fetch server (as Deno.serve), and closes that server at stop", async () => {
    const tokens = await createTestTokens();
    const events: string[] = [];
    runtime = createTestRuntime();
    let app: FetchApp | undefined;
    const launched = await launchModule(createGreeterModule({ verifier: tokens.verifier, events }), runtime, {
      url: "http://greeter.test:9000",
      serve: (started) => {
        events.push("serve");
        app = started.app;
      },
      close: async () => {
        events.push("close server");
      },
    });
    expect(events).toEqual(["start http://greeter.test:9000", "serve"]);
    expect(await runtime.discovery.resolve("greeter")).toEqual(["http://greeter.test:9000"]);
    const client = createClient(
      AuthService,
      createServiceTransport({
        discovery: runtime.discovery,
        service: "greeter",
        fetch: async (input, init) => app!.fetch(new Request(input, init)),
      }),
    );
    expect(JSON.parse((await client.getJwks({})).jwksJson)).toEqual({ greeting: "hello", caller: null });

    await launched.stop();
    expect(events.slice(2)).toEqual(["close server", "module stop"]);
    expect(await runtime.discovery.resolve("greeter")).toEqual([]);
  }, 60_000);
});
