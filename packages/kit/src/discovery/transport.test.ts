import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { AuthService } from "@instagram/contracts/auth";
import { afterEach, describe, expect, it } from "vitest";
import { fieldErrorsOf, invalidArgument } from "../errors/field-errors.ts";
import { type NodeServer, serveNode } from "../server/node-server.ts";
import { createServiceApp } from "../server/service-app.ts";
import { http2Instances } from "./http2.ts";
import { createStaticDiscovery } from "./static.ts";
import { createServiceTransport, forwardAuthorization, type InstanceTransports } from "./transport.ts";

const servers: NodeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** An auth instance that names itself in its answers; `unavailable` makes it answer Unavailable. */
async function instance(
  name: string,
  behaviour: { unavailable?: boolean; delayMs?: number; invalid?: boolean } = {},
) {
  const calls: { method: string; authorization: string | null }[] = [];
  const routes = (router: import("@connectrpc/connect").ConnectRouter) =>
    router.service(AuthService, {
      async getJwks(_req, ctx) {
        calls.push({ method: "getJwks", authorization: ctx.requestHeader.get("authorization") });
        if (behaviour.delayMs) await new Promise((resolve) => setTimeout(resolve, behaviour.delayMs));
        if (behaviour.unavailable) throw new ConnectError("draining", Code.Unavailable);
        return { jwksJson: name };
      },
      async login() {
        calls.push({ method: "login", authorization: null });
        if (behaviour.invalid) {
          throw invalidArgument("bad login", [{ path: "username", message: "is unknown" }]);
        }
        if (behaviour.unavailable) throw new ConnectError("draining", Code.Unavailable);
        return { tokens: { accessToken: name } };
      },
    });
  const app = createServiceApp({ name: "auth", routes, readiness: async () => {} });
  const server = await serveNode({ app, routes });
  servers.push(server);
  return { url: server.url, calls };
}

/** A URL where nothing listens: a server that was started and closed. */
async function deadUrl(): Promise<string> {
  const { url } = await instance("dead");
  await servers.pop()?.close();
  return url;
}

describe("createStaticDiscovery", () => {
  it("resolves configured URLs, and instances registered in this process ahead of them", async () => {
    const discovery = createStaticDiscovery({ auth: ["http://127.0.0.1:8081"] });
    expect(await discovery.resolve("auth")).toEqual(["http://127.0.0.1:8081"]);
    expect(await discovery.resolve("image")).toEqual([]);

    const registered = { service: "auth", id: "auth-a", url: "http://127.0.0.1:40001/" };
    await discovery.register(registered);
    expect(await discovery.resolve("auth")).toEqual(["http://127.0.0.1:40001"]);
    await discovery.deregister(registered);
    expect(await discovery.resolve("auth")).toEqual(["http://127.0.0.1:8081"]);
  });
});

const instanceKinds: [string, InstanceTransports | undefined][] = [
  ["Connect over fetch", undefined],
  ["gRPC over HTTP/2", http2Instances()],
];

describe.each(instanceKinds)("createServiceTransport, %s", (_kind, instances) => {
  it("spreads calls round-robin over the instances", async () => {
    const a = await instance("a");
    const b = await instance("b");
    const discovery = createStaticDiscovery({ auth: [a.url, b.url] });
    const client = createClient(
      AuthService,
      createServiceTransport({ discovery, service: "auth", instances }),
    );
    const answers: string[] = [];
    for (let i = 0; i < 4; i++) answers.push((await client.getJwks({})).jwksJson);
    expect(answers.filter((name) => name === "a")).toHaveLength(2);
    expect(answers.filter((name) => name === "b")).toHaveLength(2);
    expect(answers[0]).not.toBe(answers[1]);
  });

  it("retries a side-effect-free call once on another instance when one is down or Unavailable", async () => {
    const dead = await deadUrl();
    const draining = await instance("draining", { unavailable: true });
    const healthy = await instance("healthy");
    for (const bad of [dead, draining.url]) {
      const discovery = createStaticDiscovery({ auth: [bad, healthy.url] });
      const client = createClient(
        AuthService,
        createServiceTransport({ discovery, service: "auth", instances }),
      );
      for (let i = 0; i < 4; i++) expect((await client.getJwks({})).jwksJson).toBe("healthy");
    }
  });

  it("does not retry a call that may have side effects", async () => {
    const draining = await instance("draining", { unavailable: true });
    const healthy = await instance("healthy");
    const discovery = createStaticDiscovery({ auth: [draining.url, healthy.url] });
    const client = createClient(
      AuthService,
      createServiceTransport({ discovery, service: "auth", instances }),
    );
    const outcomes = await Promise.all(
      [1, 2, 3, 4].map(() =>
        client.login({ username: "u", password: "p" }).then(
          (response) => response.tokens?.accessToken,
          (error: unknown) => ConnectError.from(error).code,
        ),
      ),
    );
    expect(outcomes.sort()).toEqual([Code.Unavailable, Code.Unavailable, "healthy", "healthy"].sort());
    expect(healthy.calls).toHaveLength(2);
  });

  it("answers Unavailable when no instance is known, and bounds each call by the timeout", async () => {
    const none = createServiceTransport({ discovery: createStaticDiscovery({}), service: "auth", instances });
    const missing = await createClient(AuthService, none)
      .getJwks({})
      .then(
        () => undefined,
        (error: unknown) => ConnectError.from(error),
      );
    expect(missing?.code).toBe(Code.Unavailable);

    const slow = await instance("slow", { delayMs: 1_000 });
    const discovery = createStaticDiscovery({ auth: [slow.url] });
    const client = createClient(
      AuthService,
      createServiceTransport({ discovery, service: "auth", timeoutMs: 100, instances }),
    );
    const started = Date.now();
    const late = await client.getJwks({}).then(
      () => undefined,
      (error: unknown) => ConnectError.from(error),
    );
    expect(late?.code).toBe(Code.DeadlineExceeded);
    expect(Date.now() - started).toBeLessThan(800);
  });

  it("forwards the caller's token as a Bearer Authorization header", async () => {
    const target = await instance("a");
    const discovery = createStaticDiscovery({ auth: [target.url] });
    for (const given of ["token-123", "Bearer token-123"]) {
      const transport = createServiceTransport({
        discovery,
        service: "auth",
        instances,
        interceptors: [forwardAuthorization(given)],
      });
      await createClient(AuthService, transport).getJwks({});
    }
    await createClient(
      AuthService,
      createServiceTransport({ discovery, service: "auth", instances }),
    ).getJwks({});
    expect(target.calls.map((call) => call.authorization)).toEqual([
      "Bearer token-123",
      "Bearer token-123",
      null,
    ]);
  });

  it("ends a call when the caller's signal aborts", async () => {
    const slow = await instance("slow", { delayMs: 1_000 });
    const discovery = createStaticDiscovery({ auth: [slow.url] });
    const client = createClient(
      AuthService,
      createServiceTransport({ discovery, service: "auth", instances }),
    );
    const caller = new AbortController();
    setTimeout(() => caller.abort(), 50);
    const started = Date.now();
    const outcome = await client.getJwks({}, { signal: caller.signal }).then(
      () => undefined,
      (error: unknown) => ConnectError.from(error),
    );
    expect(outcome?.code).toBe(Code.Canceled);
    expect(Date.now() - started).toBeLessThan(800);
  });

  it("carries a refusal's code, message and field errors back", async () => {
    const target = await instance("a", { invalid: true });
    const discovery = createStaticDiscovery({ auth: [target.url] });
    const client = createClient(
      AuthService,
      createServiceTransport({ discovery, service: "auth", instances }),
    );
    const error = await client.login({ username: "u", password: "p" }).then(
      () => undefined,
      (failure: unknown) => ConnectError.from(failure),
    );
    expect(error?.code).toBe(Code.InvalidArgument);
    expect(error?.rawMessage).toBe("bad login");
    expect(error && fieldErrorsOf(error)).toEqual([{ path: "username", message: "is unknown" }]);
  });
});
