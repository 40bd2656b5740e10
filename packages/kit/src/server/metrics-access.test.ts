import { Hono } from "hono";
import { afterEach, describe, expect, it } from "vitest";
import { launchService, type NodeLaunchedService } from "../runtime/launch.ts";
import { createTestRuntime } from "../testing.ts";
import { mountOperations } from "./operations.ts";

const ready = async (): Promise<void> => {};

describe("who may read /metrics", () => {
  it("open: anyone (a service's internal port)", async () => {
    const app = new Hono();
    mountOperations(app, { name: "svc", readiness: ready });
    const response = await app.request("/metrics");
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/^# HELP /m);
  });

  it("off: not served at all", async () => {
    const app = new Hono();
    mountOperations(app, { name: "svc", readiness: ready, metrics: "off" });
    expect((await app.request("/metrics")).status).toBe(404);
    expect((await app.request("/healthz")).status).toBe(200);
  });

  it("a token: only with Authorization: Bearer <token>; else 401 problem+json", async () => {
    const app = new Hono();
    const token = "a-long-random-metrics-token";
    mountOperations(app, { name: "svc", readiness: ready, metrics: { token } });
    for (const authorization of [
      undefined,
      "Bearer wrong",
      `Bearer ${token}x`,
      `Basic ${token}`,
      "Bearer ",
    ]) {
      const refused = await app.request("/metrics", { headers: authorization ? { authorization } : {} });
      expect(refused.status, authorization).toBe(401);
      expect(refused.headers.get("content-type")).toBe("application/problem+json");
      expect(refused.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect(await refused.text()).not.toContain("http_requests_total");
    }
    const allowed = await app.request("/metrics", { headers: { authorization: `Bearer ${token}` } });
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toMatch(/^# TYPE /m);
  });
});

describe("launchService with a metrics port", () => {
  let launched: NodeLaunchedService | undefined;
  afterEach(async () => {
    await launched?.stop();
    launched = undefined;
  });

  it("serves GET /metrics alone on its own port, and closes it with the service", async () => {
    // No schema: no database to boot.
    const module = { name: "edge", start: async () => ({ app: new Hono() }) };
    launched = await launchService(module, createTestRuntime(), {
      host: "127.0.0.1",
      port: 0,
      metricsPort: 0,
    });
    const metricsUrl = launched.metricsUrl ?? "";
    expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(metricsUrl).not.toBe(launched.url);
    const metrics = await fetch(`${metricsUrl}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toMatch(/^# HELP /m);
    const other = await fetch(`${metricsUrl}/healthz`);
    expect(other.status).toBe(404);
    expect(other.headers.get("content-type")).toBe("application/problem+json");

    await launched.stop();
    launched = undefined;
    await expect(fetch(`${metricsUrl}/metrics`)).rejects.toThrow();
  });
});
