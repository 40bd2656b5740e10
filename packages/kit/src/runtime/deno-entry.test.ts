import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";
import { describe, expect, it, vi } from "vitest";
import { commonEnvSchema } from "../config/common-env.ts";
import { parseEnv } from "../config/parse-env.ts";
import { createTestRuntime } from "../testing.ts";
import { type DenoHost, runDenoServiceMain } from "./deno-entry.ts";
import { createHelloModule } from "./test-fixtures/hello-module.ts";

/** A port nobody listens on now. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", () => resolve()));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Deno's serve, signals and exit, played by Node: a real HTTP server, signals as calls. */
function nodeAsDeno(env: Record<string, string>) {
  const listeners = new Map<string, () => void>();
  const exits: number[] = [];
  const host: DenoHost = {
    env: { toObject: () => env },
    serve(options, handler) {
      const server = createServer(getRequestListener(handler)).listen(options.port, options.hostname);
      return {
        addr: { port: options.port },
        shutdown: () => new Promise<void>((resolve) => server.close(() => resolve())),
      };
    },
    addSignalListener(signal, listener) {
      listeners.set(signal, listener);
    },
    exit(code) {
      exits.push(code);
      return undefined as never;
    },
  };
  return { host, listeners, exits };
}

describe("runDenoServiceMain", () => {
  it("serves the module on the bound port, registers it, and on SIGTERM stops it, closes the runtime and exits 0", async () => {
    const events: string[] = [];
    const runtime = createTestRuntime();
    let closed = false;
    runtime.close = async () => {
      closed = true;
    };
    const port = await freePort();
    const deno = nodeAsDeno({ HOST: "127.0.0.1", PORT: String(port) });
    await runDenoServiceMain({
      name: "hello",
      loadEnv: (source) => parseEnv(commonEnvSchema, source),
      createModule: () => createHelloModule((line) => events.push(line)),
      createRuntime: async () => runtime,
      deno: deno.host,
    });
    const url = `http://127.0.0.1:${port}`;
    expect(await runtime.discovery.resolve("hello")).toEqual([url]);
    expect(events).toEqual([`started ${url}`]);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);

    deno.listeners.get("SIGTERM")?.();
    await expect.poll(() => deno.exits).toEqual([0]);
    expect(events).toEqual([`started ${url}`, "module stopped"]);
    expect(closed).toBe(true);
    expect(await runtime.discovery.resolve("hello")).toEqual([]);
  });

  it("prints a bad variable as a plain message and exits 1, serving nothing", async () => {
    const deno = nodeAsDeno({ PORT: "eighty" });
    const printed = vi.spyOn(console, "error").mockImplementation(() => {});
    let served = false;
    try {
      await runDenoServiceMain({
        name: "hello",
        loadEnv: (source) => parseEnv(commonEnvSchema, source),
        createModule: () => createHelloModule(() => {}),
        createRuntime: async () => {
          served = true;
          return createTestRuntime();
        },
        deno: deno.host,
      });
      expect(deno.exits).toEqual([1]);
      expect(served).toBe(false);
      expect(String(printed.mock.calls[0]?.[0])).toMatch(/^Invalid configuration:\n {2}- PORT: /);
    } finally {
      printed.mockRestore();
    }
  });
});
