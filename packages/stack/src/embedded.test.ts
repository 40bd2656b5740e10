import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { rowsOf } from "@instagram/kit";
import { afterAll, describe, expect, it } from "vitest";
import { startEmbeddedStack } from "./embedded.ts";
import { freePorts } from "./free-port.ts";
import { services } from "./services.ts";

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

async function post(url: string, body: unknown): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

describe("embedded stack", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it("serves every service, keeps its data across a restart, and frees its ports on stop", {
    timeout: 120_000,
  }, async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "stack-test-"));
    dirs.push(dataDir);
    const ports = await freePorts(services.map((service) => service.name));

    const first = await startEmbeddedStack({ dataDir, ports, logLevel: "warn" });
    for (const url of Object.values(first.urls)) expect((await fetch(`${url}/readyz`)).status).toBe(200);
    const credentials = { username: `stack_${Date.now().toString(36)}`, password: "stack test password" };
    const signUp = await post(`${first.gatewayUrl}/v1/accounts`, {
      ...credentials,
      email: `${credentials.username}@example.com`,
    });
    expect(signUp.status).toBe(201);
    const login = (await (await post(`${first.gatewayUrl}/v1/auth/login`, credentials)).json()) as {
      accessToken: string;
    };
    // Its database is open to tools in this process (PGlite cannot be opened a second time).
    const { db } = await first.database.connect();
    const accounts = rowsOf(
      await db.execute(`select email from auth.accounts where username = '${credentials.username}'`),
    );
    expect(accounts).toEqual([{ email: `${credentials.username}@example.com` }]);
    expect(first.blobDir).toBe(join(dataDir, "blobs"));
    await first.stop();
    for (const port of Object.values(ports)) expect(await canListen(port)).toBe(true);

    const second = await startEmbeddedStack({ dataDir, ports, logLevel: "warn" });
    try {
      expect((await post(`${second.gatewayUrl}/v1/auth/login`, credentials)).status).toBe(200);
      // The signing key lives in the data dir too: tokens survive the restart.
      const me = await fetch(`${second.gatewayUrl}/v1/accounts/me`, {
        headers: { authorization: `Bearer ${login.accessToken}` },
      });
      expect(me.status).toBe(200);
    } finally {
      await second.stop();
    }
  });
});
