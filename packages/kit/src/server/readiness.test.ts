import { Writable } from "node:stream";
import { Hono } from "hono";
import pino from "pino";
import { describe, expect, it } from "vitest";
import type { Database } from "../db/types.ts";
import { createInProcessBus } from "../events/in-process-bus.ts";
import { mountOperations } from "./operations.ts";
import { dependencyReadiness, NotReady } from "./readiness.ts";

/** A database whose every statement hangs (a server that accepts no connection) or fails. */
function databaseThat(behaviour: "hangs" | "refuses"): Database {
  const execute = () =>
    behaviour === "hangs"
      ? new Promise(() => {})
      : Promise.reject(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }));
  return { execute } as unknown as Database;
}

describe("dependencyReadiness", () => {
  it("is ready when the database and the bus answer", async () => {
    const bus = createInProcessBus();
    const ready = dependencyReadiness({ db: { execute: async () => [] } as unknown as Database, bus });
    await expect(ready()).resolves.toBeUndefined();
    await bus.close();
    await expect(ready()).rejects.toThrow("bus is unavailable");
  });

  it("gives up on a database that does not answer within the timeout", async () => {
    const ready = dependencyReadiness({ db: databaseThat("hangs"), timeoutMs: 100 });
    const started = Date.now();
    await expect(ready()).rejects.toThrow(new NotReady("database did not answer in 100 ms"));
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it("names the dependency that failed, with its error as the cause", async () => {
    const ready = dependencyReadiness({ db: databaseThat("refuses"), others: { user: async () => {} } });
    const error = await ready().catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(NotReady);
    expect((error as Error).message).toBe("database is unavailable");
    expect(((error as Error).cause as { code: string }).code).toBe("ECONNREFUSED");
  });
});

describe("/readyz", () => {
  it("answers 503 problem+json with Retry-After while not ready, and logs each change once", async () => {
    const lines: string[] = [];
    const logger = pino(
      new Writable({
        write(chunk, _encoding, done) {
          lines.push(JSON.parse(String(chunk)).msg);
          done();
        },
      }),
    );
    let up = false;
    const app = new Hono();
    mountOperations(app, {
      name: "greeter",
      logger,
      readiness: async () => {
        if (!up) throw new NotReady("database is unavailable");
      },
    });
    for (let probe = 0; probe < 3; probe++) {
      const response = await app.request("/readyz");
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("1");
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      expect(await response.json()).toMatchObject({ status: 503, title: expect.any(String) });
    }
    up = true;
    expect((await app.request("/readyz")).status).toBe(200);
    expect((await app.request("/readyz")).status).toBe(200);
    expect(lines).toEqual(["not ready", "ready again"]);
  });
});
