import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { Database } from "../db/types.ts";
import { createTestRuntime } from "../testing.ts";
import { databaseService } from "./database-service.ts";
import type { ServiceContext } from "./types.ts";

describe("databaseService", () => {
  const runtime = createTestRuntime();
  const context = (db: Database | undefined): ServiceContext => ({
    runtime,
    db,
    logger: runtime.logger,
    url: "http://demo.test",
  });
  const seen: { db: Database; readiness: () => Promise<void> }[] = [];
  const module = databaseService({
    name: "demo",
    schema: "demo",
    migrationsFolder: "/nowhere",
    async start({ db, readiness }) {
      seen.push({ db, readiness });
      return { app: new Hono() };
    },
  });

  it("keeps the schema and migrations for the launcher to migrate", () => {
    expect(module).toMatchObject({ name: "demo", schema: "demo", migrationsFolder: "/nowhere" });
  });

  it("hands start the launcher's readiness, or one of its own", async () => {
    const launchers = async () => {};
    await module.start({ ...context({} as Database), readiness: launchers });
    const refusing = {
      execute: async () => {
        throw new Error("connection refused");
      },
    } as unknown as Database;
    await module.start(context(refusing));
    expect(seen.at(-2)?.readiness).toBe(launchers);
    // Its own asks the database (this stand-in refuses) and the bus.
    await expect(seen.at(-1)?.readiness()).rejects.toThrow("database is unavailable");
  });

  it("hands start the database it was given, and refuses to start without one", async () => {
    // Only passed along, never queried here: identity is what is checked.
    const db = {} as Database;
    await module.start(context(db));
    expect(seen.at(-1)?.db).toBe(db);
    await expect(module.start(context(undefined))).rejects.toThrow("demo-service needs a database");
  });
});
