import { once } from "node:events";
import { constants, createServer as createHttp2Server } from "node:http2";
import type { AddressInfo } from "node:net";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { AuthService } from "@instagram/contracts/auth";
import { afterEach, describe, expect, it } from "vitest";
import { type NodeServer, serveNode } from "../server/node-server.ts";
import { createServiceApp } from "../server/service-app.ts";
import { http2Instances } from "./http2.ts";
import { createInstanceHealth } from "./instance-health.ts";
import { createStaticDiscovery } from "./static.ts";
import { createServiceTransport, type InstanceTransports } from "./transport.ts";

const servers = new Set<NodeServer>();
afterEach(async () => {
  await Promise.all([...servers].map((server) => server.close()));
  servers.clear();
});

/** A real auth instance on `port` (0: any) that names itself in its answers and counts its calls. */
async function instance(name: string, port = 0) {
  const calls = { getJwks: 0, login: 0 };
  const routes = (router: import("@connectrpc/connect").ConnectRouter) =>
    router.service(AuthService, {
      async getJwks() {
        calls.getJwks++;
        return { jwksJson: name };
      },
      async login() {
        calls.login++;
        return { tokens: { accessToken: name } };
      },
    });
  const app = createServiceApp({ name: "auth", routes, readiness: async () => {} });
  // A short drain: kill() stands for a crash, not a graceful stop.
  const server = await serveNode({ app, routes, port, drainMs: 20 });
  servers.add(server);
  return {
    url: server.url,
    port: server.port,
    calls,
    kill: async () => {
      servers.delete(server);
      await server.close();
    },
  };
}

function outcome<T>(promise: Promise<T>): Promise<T | Code> {
  return promise.catch((error: unknown) => ConnectError.from(error).code);
}

const instanceKinds: [string, InstanceTransports | undefined][] = [
  ["Connect over fetch", undefined],
  ["Connect over HTTP/2", http2Instances()],
];

describe.each(instanceKinds)("failover between instances, %s", (_kind, instances) => {
  it("keeps every read answered when one of two instances is killed under load", {
    timeout: 20_000,
  }, async () => {
    const a = await instance("a");
    const b = await instance("b");
    const health = createInstanceHealth({ skipMs: 60_000 });
    const discovery = createStaticDiscovery({ auth: [a.url, b.url] });
    const client = createClient(
      AuthService,
      createServiceTransport({ discovery, service: "auth", instances, health }),
    );

    const answers: (string | Code)[] = [];
    const load = (async () => {
      for (let i = 0; i < 120; i++) {
        answers.push(await outcome(client.getJwks({}).then((response) => response.jwksJson)));
      }
    })();
    while (answers.length < 40) await new Promise((resolve) => setTimeout(resolve, 1));
    await a.kill();
    await load;

    expect(answers.filter((answer) => answer !== "a" && answer !== "b")).toEqual([]);
    expect(answers.slice(0, 40)).toContain("a");
    expect(answers.slice(-40).every((answer) => answer === "b")).toBe(true);
    // the dead instance refused once and is skipped since: the rest went straight to b
    expect(health.skipped(a.url)).toBe(true);
    expect(b.calls.getJwks).toBe(answers.filter((answer) => answer === "b").length);
  });

  it("sends a call with side effects to another instance only when the first refused the connection", async () => {
    const a = await instance("a");
    const b = await instance("b");
    await a.kill();
    const discovery = createStaticDiscovery({ auth: [a.url, b.url] });
    const client = createClient(
      AuthService,
      createServiceTransport({ discovery, service: "auth", instances }),
    );
    for (let i = 0; i < 4; i++) {
      const answer = await outcome(client.login({ username: "u", password: "p" }));
      expect(answer).toMatchObject({ tokens: { accessToken: "b" } });
    }
    expect(b.calls.login).toBe(4);
  });

  it("skips an instance that refused for a while, then tries it again", async () => {
    const a = await instance("a");
    const b = await instance("b");
    const port = a.port;
    await a.kill();
    const health = createInstanceHealth({ skipMs: 300 });
    const discovery = createStaticDiscovery({ auth: [a.url, b.url] });
    const client = createClient(
      AuthService,
      createServiceTransport({ discovery, service: "auth", instances, health }),
    );

    for (let i = 0; i < 6; i++) expect((await client.getJwks({})).jwksJson).toBe("b");
    expect(health.skipped(a.url)).toBe(true);

    const back = await instance("a-again", port);
    await new Promise((resolve) => setTimeout(resolve, 350));
    const later: string[] = [];
    for (let i = 0; i < 6; i++) later.push((await client.getJwks({})).jwksJson);
    expect(later.filter((name) => name === "a-again")).toHaveLength(3);
    expect(back.calls.getJwks).toBe(3);
    expect(health.skipped(a.url)).toBe(false);
  });

  it("answers Unavailable when every instance refuses", async () => {
    const a = await instance("a");
    const b = await instance("b");
    await a.kill();
    await b.kill();
    const discovery = createStaticDiscovery({ auth: [a.url, b.url] });
    const client = createClient(
      AuthService,
      createServiceTransport({ discovery, service: "auth", instances }),
    );
    expect(await outcome(client.getJwks({}))).toBe(Code.Unavailable);
  });
});

describe("static discovery of a name with several addresses", () => {
  it("expands the name into one instance per address, and looks it up again after refreshMs", async () => {
    const answers = [
      ["10.0.0.1", "10.0.0.2"],
      ["10.0.0.2", "10.0.0.3"],
    ];
    const asked: string[] = [];
    const discovery = createStaticDiscovery(
      { user: ["http://user.internal:8082"] },
      {
        refreshMs: 50,
        lookup: async (hostname) => {
          asked.push(hostname);
          return answers[Math.min(asked.length - 1, answers.length - 1)]!;
        },
      },
    );
    expect(await discovery.resolve("user")).toEqual(["http://10.0.0.1:8082", "http://10.0.0.2:8082"]);
    expect(await discovery.resolve("user")).toEqual(["http://10.0.0.1:8082", "http://10.0.0.2:8082"]);
    expect(asked).toEqual(["user.internal"]);
    await new Promise((resolve) => setTimeout(resolve, 60));
    await discovery.resolve("user"); // answers from the cache, refreshes behind
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await discovery.resolve("user")).toEqual(["http://10.0.0.2:8082", "http://10.0.0.3:8082"]);
  });

  it("keeps the last addresses when a lookup fails, and uses the name itself when none are known", async () => {
    let fail = false;
    const discovery = createStaticDiscovery(
      { user: ["http://user.internal:8082"], image: ["http://image.internal:8083"] },
      {
        refreshMs: 0,
        lookup: async (hostname) => {
          if (fail || hostname === "image.internal") throw new Error("ENOTFOUND");
          return ["10.0.0.9"];
        },
      },
    );
    expect(await discovery.resolve("user")).toEqual(["http://10.0.0.9:8082"]);
    fail = true;
    await discovery.resolve("user");
    expect(await discovery.resolve("user")).toEqual(["http://10.0.0.9:8082"]);
    expect(await discovery.resolve("image")).toEqual(["http://image.internal:8083"]);
  });
});

describe("an HTTP/2 stream reset with CANCEL by the other side", () => {
  it("is Unavailable, so a read moves on to another instance", async () => {
    // A real HTTP/2 server that resets every stream it gets, as a dying instance's session does.
    const resetting = createHttp2Server();
    resetting.on("stream", (stream) => stream.close(constants.NGHTTP2_CANCEL));
    resetting.listen(0, "127.0.0.1");
    await once(resetting, "listening");
    const resettingUrl = `http://127.0.0.1:${(resetting.address() as AddressInfo).port}`;
    try {
      const healthy = await instance("healthy");
      const instances = http2Instances();
      const alone = createClient(
        AuthService,
        createServiceTransport({
          discovery: createStaticDiscovery({ auth: [resettingUrl] }),
          service: "auth",
          instances,
        }),
      );
      expect(await outcome(alone.getJwks({}))).toBe(Code.Unavailable);
      const both = createClient(
        AuthService,
        createServiceTransport({
          discovery: createStaticDiscovery({ auth: [resettingUrl, healthy.url] }),
          service: "auth",
          instances,
        }),
      );
      for (let i = 0; i < 4; i++) expect((await both.getJwks({})).jwksJson).toBe("healthy");
    } finally {
      resetting.close();
    }
  });
});
