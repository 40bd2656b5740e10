import { type Client, Code, ConnectError, type ConnectRouter, createClient } from "@connectrpc/connect";
import { createGrpcTransport, Http2SessionManager } from "@connectrpc/connect-node";
import { createConnectTransport, createGrpcWebTransport } from "@connectrpc/connect-web";
import { AuthService } from "@instagram/contracts/auth";
import { afterEach, describe, expect, it } from "vitest";
import { listenNode, type NodeServer, serveNode } from "./node-server.ts";
import { createServiceApp } from "./service-app.ts";

function authRoutes(opts: { delayMs?: number } = {}): (router: ConnectRouter) => void {
  return (router) =>
    router.service(AuthService, {
      async getJwks(_req, ctx) {
        if (opts.delayMs) await new Promise((resolve) => setTimeout(resolve, opts.delayMs));
        const protocol = ctx.requestHeader.get("content-type") ?? "";
        return { jwksJson: JSON.stringify({ keys: [], servedAs: protocol }) };
      },
    });
}

let running: NodeServer[] = [];
const sessionManagers: Http2SessionManager[] = [];
afterEach(async () => {
  for (const manager of sessionManagers.splice(0)) manager.abort();
  await Promise.all(running.map((server) => server.close()));
  running = [];
});

async function start(opts: { delayMs?: number; drainMs?: number } = {}): Promise<NodeServer> {
  const routes = authRoutes(opts);
  const app = createServiceApp({ name: "auth", routes, readiness: async () => {} });
  const server = await serveNode({ name: "auth", app, routes, port: 0, drainMs: opts.drainMs });
  running.push(server);
  return server;
}

function grpcClient(url: string): Client<typeof AuthService> {
  const sessionManager = new Http2SessionManager(url);
  sessionManagers.push(sessionManager);
  return createClient(AuthService, createGrpcTransport({ baseUrl: url, sessionManager }));
}

describe("serveNode", () => {
  it("serves Connect over HTTP/1.1 and real gRPC over HTTP/2 on the same port", async () => {
    const server = await start();
    const overFetch = createClient(AuthService, createConnectTransport({ baseUrl: server.url }));
    const overGrpcWeb = createClient(AuthService, createGrpcWebTransport({ baseUrl: server.url }));
    const overGrpc = grpcClient(server.url);

    const [connect, grpcWeb, grpc] = await Promise.all([
      overFetch.getJwks({}),
      overGrpcWeb.getJwks({}),
      overGrpc.getJwks({}),
    ]);
    expect(JSON.parse(connect.jwksJson).servedAs).toBe("application/json");
    expect(JSON.parse(grpcWeb.jwksJson).servedAs).toMatch(/^application\/grpc-web/);
    expect(JSON.parse(grpc.jwksJson).servedAs).toMatch(/^application\/grpc(\+proto)?$/);

    // several calls reuse the HTTP/1.1 keep-alive connection and the HTTP/2 session
    for (let i = 0; i < 3; i++) {
      await expect(overFetch.getJwks({})).resolves.toBeDefined();
      await expect(overGrpc.getJwks({})).resolves.toBeDefined();
    }
  });

  it("answers gRPC errors with a gRPC status, and plain HTTP on the same port", async () => {
    const server = await start();
    const error = await grpcClient(server.url)
      .login({ username: "a", password: "b" })
      .catch((e: unknown) => e);
    expect(ConnectError.from(error).code).toBe(Code.Unimplemented);

    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok" });

    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(
      /http_requests_total\{[^}]*service="auth"[^}]*route="\/instagram.auth.v1.AuthService\/Login"[^}]*\} \d+/,
    );
  });

  it("lets an in-flight request finish on close, then refuses new connections", async () => {
    const server = await start({ delayMs: 400 });
    const overFetch = createClient(AuthService, createConnectTransport({ baseUrl: server.url }));
    const overGrpc = grpcClient(server.url);
    const slowFetch = overFetch.getJwks({});
    const slowGrpc = overGrpc.getJwks({});
    await new Promise((resolve) => setTimeout(resolve, 100));

    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    await expect(slowFetch).resolves.toMatchObject({ jwksJson: expect.any(String) });
    await expect(slowGrpc).resolves.toMatchObject({ jwksJson: expect.any(String) });
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });

  it("cuts requests that outlive the drain deadline", async () => {
    const server = await start({ delayMs: 5_000, drainMs: 200 });
    const overFetch = createClient(AuthService, createConnectTransport({ baseUrl: server.url }));
    const slow = overFetch.getJwks({}).catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await slow).toBeInstanceOf(ConnectError);
  });

  it("closes idle keep-alive connections at once", async () => {
    const server = await start();
    await fetch(`${server.url}/healthz`).then((response) => response.text());
    await grpcClient(server.url).getJwks({});
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it("answers 503 / gRPC Unavailable while bound but not yet serving", async () => {
    const server = await listenNode({ port: 0 });
    running.push(server);
    const early = await fetch(`${server.url}/healthz`);
    expect(early.status).toBe(503);
    expect(early.headers.get("content-type")).toBe("application/problem+json");
    const grpc = grpcClient(server.url);
    const error = await grpc.getJwks({}).then(
      () => undefined,
      (e: unknown) => ConnectError.from(e),
    );
    expect(error?.code).toBe(Code.Unavailable);

    const routes = authRoutes();
    server.attach({ app: createServiceApp({ name: "auth", routes, readiness: async () => {} }), routes });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    await expect(grpc.getJwks({})).resolves.toBeDefined();
  });
});
