import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { newId } from "../db/ids.ts";
import { createPostgresConnector } from "../db/postgres-connector.ts";
import { isTransientFault } from "../errors/transient.ts";
import { testEvent } from "../testing/events.ts";
import { startConsumer } from "./consumer.ts";
import { listDeadLetters } from "./kafka-dead-letters.ts";
import { openTestDatabase, type TestDatabase } from "./test-fixtures/database.ts";
import { databaseHop } from "./test-fixtures/database-hop.ts";
import {
  databaseUrl,
  kafkaBrokers,
  testLogger as logger,
  namespacedBuses,
  required,
} from "./test-fixtures/integration.ts";
import { appliedEvents, followerCounts, inbox } from "./test-fixtures/schema.ts";

// PostgreSQL going away (through a TCP hop that drops like a killed server) under a real driver,
// and under a consumer fed by a real Kafka.
const { kafkaBus, deleteNamespacedTopics } = namespacedBuses("kit-database-faults");
afterAll(deleteNamespacedTopics);

describe("the postgres driver when the database goes away", () => {
  it("fails the statements of a transaction whose connection died (CONNECTION_CLOSED), and the process lives on", async () => {
    const hop = await databaseHop(required(databaseUrl, "TEST_DATABASE_URL"));
    const connector = createPostgresConnector({ url: hop.url, max: 4 });
    const handle = await connector.connect();
    const failures = new Map<string, number>();
    let committed = 0;
    let running = true;
    const worker = async () => {
      while (running) {
        try {
          // Two statements: the connection often dies between them (the driver's crash, unpatched).
          await handle.db.transaction(async (tx) => {
            await tx.execute(sql`select pg_sleep(0.005)`);
            await tx.execute(sql`select 1`);
          });
          committed++;
        } catch (error) {
          const code = String(
            (error as { code?: unknown; cause?: { code?: unknown } }).cause?.code ??
              (error as { code?: unknown }).code,
          );
          failures.set(code, (failures.get(code) ?? 0) + 1);
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      }
    };
    const workers = Array.from({ length: 6 }, worker);
    try {
      for (let outage = 0; outage < 8; outage++) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        await hop.down();
        await new Promise((resolve) => setTimeout(resolve, 150));
        await hop.up();
      }
      const before = committed;
      await vi.waitFor(() => expect(committed).toBeGreaterThan(before + 20), { timeout: 10_000 });
    } finally {
      running = false;
      await Promise.all(workers);
      await handle.close();
      await connector.close();
      await hop.down();
    }
    expect(failures.size).toBeGreaterThan(0);
    for (const code of failures.keys())
      expect(["CONNECTION_CLOSED", "ECONNREFUSED", "ECONNRESET", "CONNECTION_ENDED"]).toContain(code);
  }, 60_000);
});

describe("the postgres driver when a new connection dies while fetching its array types", () => {
  it("answers the query on a fresh connection (or with a transient error), without an unhandled rejection", async () => {
    const hop = await databaseHop(required(databaseUrl, "TEST_DATABASE_URL"), {
      cutWhenSent: "pg_catalog.pg_type",
    });
    const connector = createPostgresConnector({ url: hop.url, max: 1 });
    const handle = await connector.connect();
    try {
      const answer = await handle.db.execute(sql`select 1 as one`).catch((error: unknown) => error);
      expect(hop.cuts()).toBe(1);
      if (answer instanceof Error) expect(isTransientFault(answer)).toBe(true);
      await expect(handle.db.execute(sql`select 1 as one`)).resolves.toBeDefined();
      await new Promise((resolve) => setTimeout(resolve, 200)); // an unhandled rejection would land here
    } finally {
      await handle.close();
      await connector.close();
      await hop.down();
    }
  }, 30_000);
});

describe("a database outage while events are consumed", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(required(databaseUrl, "TEST_DATABASE_URL"));
  }, 60_000);
  afterAll(() => database?.close());

  it("loses nothing and dead-letters nothing: every event applied once within ~2 s of the database's return", async () => {
    const namespace = `kit-faults-${newId().slice(-8)}.`;
    const hop = await databaseHop(required(databaseUrl, "TEST_DATABASE_URL"));
    const connector = createPostgresConnector({ url: hop.url, max: 4 });
    const handle = await connector.connect();
    const bus = kafkaBus(namespace);
    const appliedAt: number[] = [];
    const consumer = await startConsumer({
      name: "faults-test",
      db: handle.db,
      inbox,
      bus,
      logger,
      maxAttempts: 2,
      retryDelayMs: 20,
      handlers: {
        users: {
          FOLLOWED: async (tx, followed, event) => {
            await tx.execute(sql`select pg_sleep(0.01)`);
            await tx
              .insert(followerCounts)
              .values({ userId: followed.followeeId, followers: 1 })
              .onConflictDoUpdate({
                target: followerCounts.userId,
                set: { followers: sql`${followerCounts.followers} + 1` },
              });
            await tx
              .insert(appliedEvents)
              .values({ eventId: event.id, aggregateId: event.aggregateId, type: event.type });
            appliedAt.push(Date.now());
          },
        },
      },
    });
    try {
      const followees = Array.from({ length: 12 }, (_, index) => `followee-${index}`);
      const events = Array.from({ length: 240 }, (_, index) => {
        const followeeId = followees[index % followees.length] ?? "followee-0";
        return testEvent(
          "users",
          "FOLLOWED",
          { followerId: `f-${index}`, followeeId },
          { aggregateId: followeeId },
        );
      });
      await bus.send(events);
      await vi.waitFor(() => expect(appliedAt.length).toBeGreaterThanOrEqual(30), {
        timeout: 30_000,
        interval: 20,
      });

      await hop.down();
      const appliedBeforeReturn = appliedAt.length;
      await new Promise((resolve) => setTimeout(resolve, 4_000)); // longer than the old 5 × retry budget (~3 s)
      expect(appliedAt.length).toBe(appliedBeforeReturn);
      await hop.up();
      const back = Date.now();

      await vi.waitFor(
        async () => {
          const [row] = await database.db.select({ count: sql<number>`count(*)::int` }).from(appliedEvents);
          expect(row?.count).toBe(events.length);
        },
        { timeout: 30_000, interval: 100 },
      );
      const firstAfterReturn = appliedAt.find((at) => at >= back);
      expect(firstAfterReturn).toBeDefined();
      const recoveryMs = (firstAfterReturn ?? 0) - back;
      logger.info({ recoveryMs }, "consumer applied again after the database returned");
      expect(recoveryMs).toBeLessThan(2_000);

      const counts = await database.db.select().from(followerCounts);
      expect(Object.fromEntries(counts.map((row) => [row.userId, row.followers]))).toEqual(
        Object.fromEntries(followees.map((id) => [id, events.length / followees.length])),
      );
      const dead = await listDeadLetters({
        brokers: required(kafkaBrokers, "TEST_KAFKA_BROKERS"),
        namespace,
        logger,
      });
      expect(dead).toEqual([]);
    } finally {
      await consumer.stop();
      await bus.close();
      await handle.close();
      await connector.close();
      await hop.down();
    }
  }, 120_000);
});
