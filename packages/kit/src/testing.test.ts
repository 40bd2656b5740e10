import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createInProcessBus, createTestDatabase, createTestTokens } from "./testing.ts";

describe("testing helpers", () => {
  it("createTestDatabase gives a migrated in-memory database", async () => {
    const database = await createTestDatabase({
      schema: "greeter",
      migrationsFolder: fileURLToPath(new URL("./runtime/test-fixtures/migrations", import.meta.url)),
    });
    try {
      const result = await database.db.execute(sql`select text from greeter.greetings`);
      const rows = Array.isArray(result) ? result : (result as { rows: unknown[] }).rows;
      expect(rows).toEqual([{ text: "hello" }]);
      await database.ping();
    } finally {
      await database.close();
    }
    await expect(database.ping()).rejects.toThrow();
  }, 60_000); // PGlite boots in seconds on a busy machine

  it("createTestTokens signs tokens its verifier accepts", async () => {
    const tokens = await createTestTokens();
    const token = await tokens.tokenFor("account-1", { role: "member" });
    await expect(tokens.verifier.verify(token)).resolves.toMatchObject({
      subject: "account-1",
      claims: { role: "member", iss: "instagram-clone" },
    });
    expect(await tokens.authorizationFor("account-2")).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it("re-exports the in-process bus", async () => {
    const bus = createInProcessBus();
    await expect(bus.ping()).resolves.toBeUndefined();
    await bus.close();
  });
});
