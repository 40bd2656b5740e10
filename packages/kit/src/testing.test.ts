import { fileURLToPath } from "node:url";
import { fromBinary } from "@bufbuild/protobuf";
import { UserFollowedSchema } from "@instagram/contracts/user";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { newId } from "./db/ids.ts";
import { startConsumer } from "./events/consumer.ts";
import { openTestDatabase } from "./events/test-fixtures/database.ts";
import { publishFollow } from "./events/test-fixtures/follows.ts";
import { inbox, outbox } from "./events/test-fixtures/schema.ts";
import { createLogger } from "./log/logger.ts";
import {
  connectFailure,
  createInProcessBus,
  createTestDatabase,
  createTestTokens,
  eventApplied,
  publishedEvents,
  testEvent,
} from "./testing.ts";

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

  it("testEvent builds an envelope of a catalogued event", () => {
    const event = testEvent("users", "FOLLOWED", { followerId: "a", followeeId: "b" }, { aggregateId: "b" });
    expect(event).toMatchObject({ topic: "users", type: "FOLLOWED", aggregateId: "b", headers: {} });
    expect(fromBinary(UserFollowedSchema, event.payload)).toMatchObject({ followerId: "a", followeeId: "b" });
    expect(() => testEvent("users", "NOPE" as "FOLLOWED", {})).toThrow(/unknown event/);
  });

  it("publishedEvents decodes the outbox, eventApplied waits for a consumer", async () => {
    const database = await openTestDatabase();
    const bus = createInProcessBus();
    try {
      const [alice, bob] = [newId(), newId()];
      await database.db.transaction(async (tx) => {
        await publishFollow(tx, "f1", alice);
        await publishFollow(tx, "f2", bob);
      });
      expect(await publishedEvents(database.db, outbox, { aggregateIds: [bob] })).toEqual([
        {
          topic: "users",
          type: "FOLLOWED",
          aggregateId: bob,
          payload: expect.objectContaining({ followerId: "f2", followeeId: bob }),
        },
      ]);
      expect(await publishedEvents(database.db, outbox, { type: "UNFOLLOWED" })).toEqual([]);

      const consumer = await startConsumer({
        name: "testing-helpers",
        db: database.db,
        inbox,
        bus,
        logger: createLogger({ service: "test", level: "silent" }),
        handlers: { users: { FOLLOWED: async () => {} } },
      });
      const event = testEvent("users", "FOLLOWED", { followerId: "f3", followeeId: alice });
      await bus.send([event]);
      await eventApplied(database.db, inbox, event.id);
      await expect(eventApplied(database.db, inbox, newId(), { timeoutMs: 50 })).rejects.toThrow(
        /not applied/,
      );
      await consumer.stop();
    } finally {
      await bus.close();
      await database.close();
    }
  }, 60_000);

  it("connectFailure returns the error a call fails with", async () => {
    const error = await connectFailure(Promise.reject(new Error("boom")));
    expect(error.rawMessage).toBe("boom");
    await expect(connectFailure(Promise.resolve())).rejects.toThrow(/expected the call to fail/);
  });
});
