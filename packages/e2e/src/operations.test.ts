import { describe, expect, inject, it } from "vitest";
import { gateway, serviceUrl } from "./stack.ts";

// The paths of the REST contract (docs/openapi.json) that the services of this stack serve (OpenAPI path syntax).
const accountAndUserPaths: Record<string, string[]> = {
  "/v1/accounts": ["post"],
  "/v1/auth/login": ["post"],
  "/v1/auth/refresh": ["post"],
  "/v1/auth/logout": ["post"],
  "/v1/accounts/me": ["get", "delete"],
  "/v1/accounts/me/password": ["put"],
  "/.well-known/jwks.json": ["get"],
  "/v1/users/me": ["get", "patch"],
  "/v1/users/{username}": ["get"],
  "/v1/users": ["get"],
  "/v1/users/{username}/follow": ["put", "delete"],
  "/v1/users/{username}/followers": ["get"],
  "/v1/users/{username}/following": ["get"],
};

describe("operations", () => {
  const api = gateway();
  const metricsAuthorization = { headers: { authorization: `Bearer ${inject("metricsToken")}` } };

  it("serves an OpenAPI 3.1 document listing the contract's paths", async () => {
    const reply = await api.call<{ openapi: string; paths: Record<string, Record<string, unknown>> }>(
      "GET",
      "/openapi.json",
    );
    expect(reply.status).toBe(200);
    expect(reply.body.openapi).toMatch(/^3\.1\./);
    for (const [path, methods] of Object.entries(accountAndUserPaths)) {
      expect(Object.keys(reply.body.paths), path).toContain(path);
      for (const method of methods)
        expect(reply.body.paths[path], `${method} ${path}`).toHaveProperty(method);
    }
  });

  it("serves the interactive reference at /docs", async () => {
    const reply = await api.call("GET", "/docs", { headers: { accept: "text/html" } });
    expect(reply.status).toBe(200);
    expect(reply.headers.get("content-type")).toMatch(/^text\/html/);
    expect(reply.text).toMatch(/<html/i);
  });

  it("answers /healthz, /readyz and /metrics on the gateway (metrics token) and on every service", async () => {
    const urls = Object.entries(inject("serviceUrls"));
    expect(urls.map(([name]) => name)).toEqual(expect.arrayContaining(["gateway", "auth", "user"]));
    expect(serviceUrl("gateway")).toBe(inject("gatewayUrl"));
    for (const [name, url] of urls) {
      const health = await fetch(`${url}/healthz`);
      expect(health.status, `${name} /healthz`).toBe(200);
      const ready = await fetch(`${url}/readyz`);
      expect(ready.status, `${name} /readyz`).toBe(200);
      // The gateway's port is public: its /metrics needs the token; a service's port is internal.
      const metrics = await fetch(`${url}/metrics`, metricsAuthorization);
      expect(metrics.status, `${name} /metrics`).toBe(200);
      expect(metrics.headers.get("content-type"), name).toMatch(/^text\/plain/);
      const text = await metrics.text();
      expect(text, name).toMatch(/^# HELP /m);
      expect(text, name).toMatch(/^# TYPE \w+ (counter|gauge|histogram|summary)$/m);
    }
  });

  it("counts the requests it served in /metrics", async () => {
    await api.call("GET", "/healthz");
    const metrics = await (await fetch(`${inject("gatewayUrl")}/metrics`, metricsAuthorization)).text();
    expect(metrics).toMatch(/http_requests_total\{[^}]*\} \d+/);
  });
});
