import { once } from "node:events";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { pino } from "pino";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createConsulDiscovery } from "./consul.ts";
import type { Discovery } from "./types.ts";

/**
 * There is no Consul server on the build machines, so the adapter is tested against Consul's HTTP API
 * contract: this fake agent records requests and answers the way Consul does (X-Consul-Index header,
 * health entries shaped {Node, Service, Checks}, `?passing` filtering, blocking queries that hold
 * until the index moves past `index` or `wait` elapses).
 */
interface FakeService {
  ID: string;
  Name: string;
  Address: string;
  Port: number;
  Check: { HTTP?: string; Interval?: string; DeregisterCriticalServiceAfter?: string };
  status: "passing" | "critical";
}

interface Recorded {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}

class FakeConsul {
  readonly requests: Recorded[] = [];
  readonly services = new Map<string, FakeService>();
  private index = 1;
  private readonly waiting = new Set<() => void>();
  private server: Server | undefined;
  url = "";

  async start(port = 0): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.listen(port, "127.0.0.1");
    await once(this.server, "listening");
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const wake of this.waiting) wake();
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  /** A health check flips, as the agent would after probing /healthz. */
  setStatus(id: string, status: FakeService["status"]): void {
    const service = this.services.get(id);
    if (service) service.status = status;
    this.changed();
  }

  private changed(): void {
    this.index++;
    for (const wake of this.waiting) wake();
  }

  private async handle(req: IncomingMessage, res: import("node:http").ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://consul");
    let text = "";
    for await (const chunk of req) text += chunk;
    const body = text ? JSON.parse(text) : undefined;
    this.requests.push({ method: req.method ?? "", path: url.pathname, query: url.searchParams, body });

    if (req.method === "PUT" && url.pathname === "/v1/agent/service/register") {
      this.services.set(body.ID, { ...body, status: "critical" }); // Consul starts checks as critical
      this.changed();
      res.end();
      return;
    }
    const deregister = /^\/v1\/agent\/service\/deregister\/(.+)$/.exec(url.pathname);
    if (req.method === "PUT" && deregister) {
      this.services.delete(decodeURIComponent(deregister[1]!));
      this.changed();
      res.end();
      return;
    }
    const health = /^\/v1\/health\/service\/(.+)$/.exec(url.pathname);
    if (req.method === "GET" && health) {
      const asked = Number(url.searchParams.get("index") ?? "0");
      if (asked >= this.index) {
        const waitMs = Number.parseFloat(url.searchParams.get("wait") ?? "300") * 1000;
        await new Promise<void>((resolve) => {
          const wake = () => {
            this.waiting.delete(wake);
            clearTimeout(timer);
            resolve();
          };
          const timer = setTimeout(wake, waitMs);
          this.waiting.add(wake);
        });
      }
      const passingOnly = url.searchParams.has("passing");
      const entries = [...this.services.values()]
        .filter((service) => service.Name === health[1] && (!passingOnly || service.status === "passing"))
        .map((service) => ({
          Node: { Node: "node-1", Address: "10.0.0.1" },
          Service: { ID: service.ID, Service: service.Name, Address: service.Address, Port: service.Port },
          Checks: [{ CheckID: `service:${service.ID}`, Status: service.status }],
        }));
      res.setHeader("content-type", "application/json");
      res.setHeader("x-consul-index", String(this.index));
      res.end(JSON.stringify(entries));
      return;
    }
    res.statusCode = 404;
    res.end("unknown endpoint");
  }
}

const logger = pino({ level: "silent" });
let consul: FakeConsul;
let discovery: Discovery | undefined;

afterEach(async () => {
  await discovery?.close();
  discovery = undefined;
  await consul?.stop();
});

async function setUp(): Promise<Discovery> {
  consul = new FakeConsul();
  await consul.start();
  discovery = createConsulDiscovery({ url: consul.url.replace("http://", ""), logger, blockingWait: "2s" });
  return discovery;
}

describe("createConsulDiscovery", () => {
  it("registers with an HTTP check on /healthz and deregisters by id", async () => {
    const discovery = await setUp();
    const instance = { service: "auth", id: "auth-1", url: "http://10.0.0.5:8081" };
    await discovery.register(instance);

    const register = consul.requests.find((r) => r.path === "/v1/agent/service/register");
    expect(register?.method).toBe("PUT");
    expect(register?.body).toMatchObject({
      Name: "auth",
      ID: "auth-1",
      Address: "10.0.0.5",
      Port: 8081,
      Check: { HTTP: "http://10.0.0.5:8081/healthz", Interval: "5s", DeregisterCriticalServiceAfter: "1m" },
    });

    await discovery.deregister(instance);
    const deregister = consul.requests.find((r) => r.path.startsWith("/v1/agent/service/deregister/"));
    expect(deregister).toMatchObject({ method: "PUT", path: "/v1/agent/service/deregister/auth-1" });
    expect(consul.services.size).toBe(0);
  });

  it("resolves passing instances only, from a cache kept fresh by blocking queries", async () => {
    const discovery = await setUp();
    await discovery.register({ service: "user", id: "user-1", url: "http://10.0.0.11:8082" });
    await discovery.register({ service: "user", id: "user-2", url: "http://10.0.0.12:8082" });
    consul.setStatus("user-1", "passing");

    expect(await discovery.resolve("user")).toEqual(["http://10.0.0.11:8082"]);
    expect(await discovery.resolve("user")).toEqual(["http://10.0.0.11:8082"]);
    const lookups = () => consul.requests.filter((r) => r.path === "/v1/health/service/user");
    expect(lookups()[0]?.query.get("passing")).not.toBeNull();

    // the second instance's check passes: the waiting blocking query returns and the cache follows
    consul.setStatus("user-2", "passing");
    await vi.waitFor(async () => {
      expect((await discovery.resolve("user")).sort()).toEqual([
        "http://10.0.0.11:8082",
        "http://10.0.0.12:8082",
      ]);
    });
    consul.setStatus("user-1", "critical");
    await vi.waitFor(async () => {
      expect(await discovery.resolve("user")).toEqual(["http://10.0.0.12:8082"]);
    });

    // every lookup after the first was a blocking query carrying the last index and a wait
    const later = lookups().slice(1);
    expect(later.length).toBeGreaterThanOrEqual(2);
    for (const request of later) {
      expect(Number(request.query.get("index"))).toBeGreaterThan(0);
      expect(request.query.get("wait")).toBe("2s");
    }
    // resolve() itself never went to Consul: only the watch did (one initial query + blocking ones)
    expect(lookups().filter((r) => !r.query.has("index") || r.query.get("index") === "0")).toHaveLength(1);
  });

  it("fails a first lookup when Consul does not answer, and asks again on the next resolve", async () => {
    const discovery = await setUp();
    const port = Number(new URL(consul.url).port);
    await consul.stop();
    await expect(discovery.resolve("image")).rejects.toThrow();

    consul = new FakeConsul();
    await consul.start(port);
    await discovery.register({ service: "image", id: "image-1", url: "http://10.0.0.13:8083" });
    consul.setStatus("image-1", "passing");
    expect(await discovery.resolve("image")).toEqual(["http://10.0.0.13:8083"]);
  });
});
