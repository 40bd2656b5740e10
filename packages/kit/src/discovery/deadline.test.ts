import { Code, ConnectError, type ConnectRouter, createClient } from "@connectrpc/connect";
import { AuthService } from "@instagram/contracts/auth";
import { afterEach, describe, expect, it } from "vitest";
import { type NodeServer, serveNode } from "../server/node-server.ts";
import { createServiceApp } from "../server/service-app.ts";
import { rememberCallerDeadline } from "./caller-deadline.ts";
import { http2Instances } from "./http2.ts";
import { createStaticDiscovery } from "./static.ts";
import { createServiceTransport } from "./transport.ts";

const servers: NodeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

interface Observed {
  timeoutHeader: string | null;
  abortedAfterMs: number | undefined;
}

/** An instance whose getJwks works until its signal aborts (at most 3 s), recording what it saw. */
async function slowInstance(): Promise<{ url: string; observed: Observed[] }> {
  const observed: Observed[] = [];
  const routes = (router: ConnectRouter) =>
    router.service(AuthService, {
      async getJwks(_req, ctx) {
        const seen: Observed = {
          timeoutHeader: ctx.requestHeader.get("connect-timeout-ms"),
          abortedAfterMs: undefined,
        };
        observed.push(seen);
        const started = Date.now();
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 3_000);
          ctx.signal.addEventListener("abort", () => {
            seen.abortedAfterMs = Date.now() - started;
            clearTimeout(timer);
            resolve();
          });
        });
        return { jwksJson: "late" };
      },
    });
  return serve(routes).then((url) => ({ url, observed }));
}

async function serve(routes: (router: ConnectRouter) => void): Promise<string> {
  const app = createServiceApp({ name: "auth", routes, readiness: async () => {} });
  const server = await serveNode({ app, routes, interceptors: [rememberCallerDeadline] });
  servers.push(server);
  return server.url;
}

async function codeOf(promise: Promise<unknown>): Promise<Code | undefined> {
  return promise.then(
    () => undefined,
    (error: unknown) => ConnectError.from(error).code,
  );
}

describe("deadlines travel with the call", () => {
  it("a 200 ms deadline against a slow handler: DeadlineExceeded at once, and the handler's signal aborts", async () => {
    const slow = await slowInstance();
    const client = createClient(
      AuthService,
      createServiceTransport({
        discovery: createStaticDiscovery({ auth: [slow.url] }),
        service: "auth",
        instances: http2Instances(),
      }),
    );
    const started = Date.now();
    expect(await codeOf(client.getJwks({}, { timeoutMs: 200 }))).toBe(Code.DeadlineExceeded);
    expect(Date.now() - started).toBeLessThan(600);
    await expect.poll(() => slow.observed[0]?.abortedAfterMs).toBeDefined();
    expect(Number(slow.observed[0]?.timeoutHeader)).toBeLessThanOrEqual(200);
    expect(slow.observed[0]?.abortedAfterMs).toBeLessThan(600);
  });

  it("a service's own calls inherit what is left of its caller's deadline", async () => {
    const back = await slowInstance();
    const backClient = createClient(
      AuthService,
      createServiceTransport({
        discovery: createStaticDiscovery({ auth: [back.url] }),
        service: "auth",
        instances: http2Instances(),
        timeoutMs: 10_000, // its own default is longer: the caller's deadline must win
      }),
    );
    const frontUrl = await serve((router) =>
      router.service(AuthService, {
        async getJwks() {
          await new Promise((resolve) => setTimeout(resolve, 100)); // spends part of the budget
          return backClient.getJwks({});
        },
      }),
    );
    const client = createClient(
      AuthService,
      createServiceTransport({
        discovery: createStaticDiscovery({ auth: [frontUrl] }),
        service: "auth",
        instances: http2Instances(),
      }),
    );
    const started = Date.now();
    expect(await codeOf(client.getJwks({}, { timeoutMs: 400 }))).toBe(Code.DeadlineExceeded);
    expect(Date.now() - started).toBeLessThan(900);
    await expect.poll(() => back.observed[0]?.abortedAfterMs).toBeDefined();
    const sent = Number(back.observed[0]?.timeoutHeader);
    expect(sent).toBeGreaterThan(100);
    expect(sent).toBeLessThanOrEqual(300);
    expect(back.observed[0]?.abortedAfterMs).toBeLessThan(600);
  });

  it("a call made after the caller's deadline has passed is not sent", async () => {
    const back = await slowInstance();
    const backClient = createClient(
      AuthService,
      createServiceTransport({
        discovery: createStaticDiscovery({ auth: [back.url] }),
        service: "auth",
        instances: http2Instances(),
      }),
    );
    let inner: Code | undefined | "not run";
    const frontUrl = await serve((router) =>
      router.service(AuthService, {
        async getJwks() {
          await new Promise((resolve) => setTimeout(resolve, 300)); // past the caller's deadline
          inner = await codeOf(backClient.getJwks({}));
          return { jwksJson: "front" };
        },
      }),
    );
    const client = createClient(
      AuthService,
      createServiceTransport({
        discovery: createStaticDiscovery({ auth: [frontUrl] }),
        service: "auth",
        instances: http2Instances(),
      }),
    );
    inner = "not run";
    expect(await codeOf(client.getJwks({}, { timeoutMs: 150 }))).toBe(Code.DeadlineExceeded);
    await expect.poll(() => inner, { timeout: 2_000 }).not.toBe("not run");
    expect([Code.DeadlineExceeded, Code.Canceled]).toContain(inner);
    expect(back.observed).toHaveLength(0);
  });
});
