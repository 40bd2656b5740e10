// The gateway's edge, through real sockets: bad bytes, compression, oversized request lines, the
// secure headers, the self-hosted /docs, and /metrics kept off the public port (issue 10 items 4–6).
import * as net from "node:net";
import { gzipSync } from "node:zlib";
import { describe, expect, inject, it } from "vitest";
import { expectProblem } from "./problems.ts";
import { gateway } from "./stack.ts";

const unique = (prefix: string) => `${prefix}${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

function rawExchange(request: string): Promise<string> {
  const { hostname, port } = new URL(inject("gatewayUrl"));
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.write(request));
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error("the gateway kept the connection open"));
    }, 10_000);
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("error", () => {});
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString("latin1"));
    });
  });
}

describe("bad input gets a 4xx, never a 5xx", () => {
  const api = gateway();

  it("a NUL byte in the login name or the sign-up fields: 400 problem+json", async () => {
    expectProblem(await api.logIn("ali\u0000ce", "whatever-password"), 400);
    const name = unique("nul_");
    expectProblem(
      await api.signUp({
        username: name,
        email: `${name}\u0000@example.com`,
        password: "correct horse battery",
      }),
      400,
    );
    expectProblem(
      await api.signUp({
        username: `${name}\u0000`,
        email: `${name}@example.com`,
        password: "correct horse battery",
      }),
      400,
    );
  });

  it("a NUL byte through the Connect relay: a Connect error, not an internal one", async () => {
    const response = await fetch(`${inject("gatewayUrl")}/instagram.auth.v1.AuthService/Login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "ali\u0000ce", password: "whatever-password" }),
    });
    expect(response.status, await response.clone().text()).toBeLessThan(500);
    expect((await response.json()).code).not.toBe("internal");
  });

  it("a gzip-compressed Connect request is taken", async () => {
    const api = gateway();
    const name = unique("gz_");
    expect(
      (await api.signUp({ username: name, email: `${name}@example.com`, password: "correct horse battery" }))
        .status,
    ).toBe(201);
    const response = await fetch(`${inject("gatewayUrl")}/instagram.auth.v1.AuthService/Login`, {
      method: "POST",
      headers: { "content-type": "application/json", "content-encoding": "gzip" },
      body: gzipSync(JSON.stringify({ username: name, password: "correct horse battery" })),
    });
    expect(response.status, await response.clone().text()).toBe(200);
    expect(await response.json()).toHaveProperty("tokens.accessToken");
  });

  it("a URL over 16 KiB: 414 problem+json; headers over 16 KiB: 431 problem+json", async () => {
    const long = await rawExchange(
      `GET /v1/users?query=${"a".repeat(17 * 1024)} HTTP/1.1\r\nhost: x\r\n\r\n`,
    );
    expect(long).toMatch(/^HTTP\/1\.1 414 /);
    expect(long).toMatch(/\r\ncontent-type: application\/problem\+json\r\n/i);
    const big = await rawExchange(
      `GET /healthz HTTP/1.1\r\nhost: x\r\nx-big: ${"b".repeat(17 * 1024)}\r\n\r\n`,
    );
    expect(big).toMatch(/^HTTP\/1\.1 431 /);
    expect(big).toMatch(/\r\ncontent-type: application\/problem\+json\r\n/i);
  });
});

describe("surfaces", () => {
  const api = gateway();

  it("JSON and problem answers carry the secure headers", async () => {
    for (const reply of [await api.call("GET", "/healthz"), await api.call("GET", "/v1/users/me")]) {
      expect(reply.headers.get("x-content-type-options")).toBe("nosniff");
      expect(reply.headers.get("x-frame-options")).toBe("DENY");
      expect(reply.headers.get("referrer-policy")).toBe("no-referrer");
      expect(reply.headers.get("content-security-policy")).toContain("default-src 'none'");
    }
  });

  it("/docs loads only what the gateway serves itself, under a strict CSP", async () => {
    const page = await api.call("GET", "/docs", { headers: { accept: "text/html" } });
    expect(page.status).toBe(200);
    const csp = page.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    const scripts = [...page.text.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map((match) => match[1] ?? "");
    expect(scripts.length).toBeGreaterThan(0);
    for (const src of scripts) {
      expect(src.startsWith("/"), src).toBe(true);
      const script = await fetch(new URL(src, inject("gatewayUrl")));
      expect(script.status, src).toBe(200);
      expect(script.headers.get("content-type")).toMatch(/javascript/);
      await script.arrayBuffer();
    }
  });

  it("/metrics on the public port answers only to the metrics token", async () => {
    const anonymous = await api.call("GET", "/metrics");
    expectProblem(anonymous, 401);
    expect(anonymous.text).not.toContain("http_requests_total");
    expectProblem(
      await api.call("GET", "/metrics", { headers: { authorization: "Bearer not-the-token" } }),
      401,
    );
  });
});
