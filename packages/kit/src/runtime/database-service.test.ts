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
  const seen: Database[] = [];
  const module = databaseService({
    name: "demo",
    schema: "demo",
    migrationsFolder: "/nowhere",
    async start({ db }) {
      seen.push(db);
      return { app: new Hono() };
    },
  });

  it("keeps the schema and migrations for the launcher to migrate", () => {
    expect(module).toMatchObject({ name: "demo", schema: "demo", migrationsFolder: "/nowhere" });
  });

  it("hands start the database it was given, and refuses to start without one", async () => {
    // Only passed along, never queried here: identity is what is checked.
    const db = {} as Database;
    await module.start(context(db));
    expect(seen).toEqual([db]);
    await expect(module.start(context(undefined))).rejects.toThrow("demo-service needs a database");
  });
});
