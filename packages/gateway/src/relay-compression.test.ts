import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { createTestbed } from "./testing/testbed.ts";

const login = "/instagram.auth.v1.AuthService/Login";

describe("the Connect relay and compressed requests", () => {
  it("takes a gzip-compressed Connect request (it answered 501 before)", async () => {
    const gateway = await createTestbed();
    await gateway.signedUp("alice", "correct horse battery");
    const response = await gateway.request(login, {
      method: "POST",
      headers: { "content-type": "application/json", "content-encoding": "gzip" },
      body: gzipSync(JSON.stringify({ username: "alice", password: "correct horse battery" })),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toHaveProperty("tokens.accessToken");
  });

  it("refuses a small body that inflates past the body limit, before calling the service", async () => {
    const gateway = await createTestbed();
    const bomb = gzipSync(JSON.stringify({ username: "a".repeat(10 * 1024 * 1024), password: "x" }));
    expect(bomb.byteLength).toBeLessThan(64 * 1024);
    const response = await gateway.request(login, {
      method: "POST",
      headers: { "content-type": "application/json", "content-encoding": "gzip" },
      body: bomb,
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(await response.json()).toMatchObject({ code: "resource_exhausted" });
    expect(gateway.reached).not.toContain("instagram.auth.v1.AuthService/Login");
  });

  it("refuses bytes that claim gzip but are not, as a bad request", async () => {
    const gateway = await createTestbed();
    const response = await gateway.request(login, {
      method: "POST",
      headers: { "content-type": "application/json", "content-encoding": "gzip" },
      body: "{}",
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: "invalid_argument" });
  });
});
