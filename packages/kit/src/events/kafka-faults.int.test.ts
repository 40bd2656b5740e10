import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { newId } from "../db/ids.ts";
import { testEvent } from "../testing/events.ts";
import { startConsumer } from "./consumer.ts";
import { listDeadLetters, replayDeadLetters } from "./kafka-dead-letters.ts";
import { openTestDatabase, type TestDatabase } from "./test-fixtures/database.ts";
import {
  databaseUrl,
  kafkaBrokers,
  testLogger as logger,
  namespacedBuses,
  required,
} from "./test-fixtures/integration.ts";
import { appliedEvents, inbox } from "./test-fixtures/schema.ts";

// Kafka faults against a real broker: kafkajs's timer warning, crashes, lag, dead letters.
const { kafkaBus, deleteNamespacedTopics } = namespacedBuses("kit-kafka-faults");
afterAll(deleteNamespacedTopics);

describe("kafka client", () => {
  it("connects, sends and consumes without a TimeoutNegativeWarning (kafkajs's negative timer, fixed)", async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => void warnings.push(warning.name);
    process.on("warning", onWarning);
    const bus = kafkaBus(`kit-warn-${newId().slice(-8)}.`);
    try {
      const heard: string[] = [];
      await bus.subscribe({
        group: "warn-test",
        topics: ["users"],
        handle: async (e) => void heard.push(e.id),
      });
      const event = testEvent("users", "FOLLOWED", { followerId: "a", followeeId: "b" });
      await bus.send([event]);
      await vi.waitFor(() => expect(heard).toEqual([event.id]), { timeout: 30_000, interval: 50 });
      await bus.ping();
    } finally {
      await bus.close();
      process.off("warning", onWarning);
    }
    expect(warnings).not.toContain("TimeoutNegativeWarning");
  }, 60_000);
});

describe("kafka consumer crash", () => {
  it("runs a new consumer when kafkajs gives one up (a crash it does not restart), and redelivers", async () => {
    const bus = kafkaBus(`kit-crash-${newId().slice(-8)}.`);
    try {
      const attempts: string[] = [];
      await bus.subscribe({
        group: "crash-test",
        topics: ["users"],
        handle: async (event) => {
          attempts.push(event.id);
          // A TypeError is "unrecoverable" to kafkajs: its consumer crashes and is not restarted.
          if (attempts.length === 1) throw new TypeError("a bug in the handler");
        },
      });
      const event = testEvent("users", "FOLLOWED", { followerId: "a", followeeId: "b" });
      await bus.send([event]);
      await vi.waitFor(() => expect(attempts).toEqual([event.id, event.id]), {
        timeout: 30_000,
        interval: 100,
      });
      await vi.waitFor(() => bus.ping(), { timeout: 10_000, interval: 200 });
    } finally {
      await bus.close();
    }
  }, 60_000);
});

describe("kafka consumer lag", () => {
  it("counts what a group has not consumed yet, per partition, and comes back to 0", async () => {
    const bus = kafkaBus(`kit-lag-${newId().slice(-8)}.`);
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    try {
      const events = [1, 2, 3, 4].map((n) =>
        testEvent("users", "FOLLOWED", { followerId: `${n}`, followeeId: "x" }, { aggregateId: "x" }),
      );
      await bus.send(events);
      await bus.subscribe({ group: "lag-test", topics: ["users"], handle: () => held });
      const total = async () => (await bus.lag?.("lag-test", ["users"]))?.reduce((sum, p) => sum + p.lag, 0);
      expect(await total()).toBe(4);
      release();
      await vi.waitFor(async () => expect(await total()).toBe(0), { timeout: 30_000, interval: 200 });
      const partitions = (await bus.lag?.("lag-test", ["users"]))?.map((p) => [p.topic, p.partition]);
      expect(partitions).toEqual([
        ["users", 0],
        ["users", 1],
        ["users", 2],
      ]);
    } finally {
      release();
      await bus.close();
    }
  }, 60_000);
});

describe("dead letters", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(required(databaseUrl, "TEST_DATABASE_URL"));
  }, 60_000);
  afterAll(() => database?.close());

  it("lists a deterministic failure with its error, and a replay applies it once fixed, only once", async () => {
    const namespace = `kit-dlq-${newId().slice(-8)}.`;
    const brokers = required(kafkaBrokers, "TEST_KAFKA_BROKERS");
    const bus = kafkaBus(namespace);
    let fixed = false;
    const consumer = await startConsumer({
      name: "dlq-test",
      db: database.db,
      inbox,
      bus,
      logger,
      maxAttempts: 2,
      retryDelayMs: 10,
      handlers: {
        users: {
          FOLLOWED: async (tx, followed, event) => {
            if (!fixed) throw new Error(`no such account ${followed.followeeId}`);
            await tx
              .insert(appliedEvents)
              .values({ eventId: event.id, aggregateId: event.aggregateId, type: event.type });
          },
        },
      },
    });
    try {
      const failing = testEvent(
        "users",
        "FOLLOWED",
        { followerId: "a", followeeId: "ghost" },
        {
          aggregateId: "ghost",
          headers: { traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" },
        },
      );
      await bus.send([failing]);
      const listed = await vi.waitFor(
        async () => {
          const letters = await listDeadLetters({ brokers, namespace, logger });
          expect(letters).toHaveLength(1);
          return letters;
        },
        { timeout: 30_000, interval: 500 },
      );
      expect(listed[0]).toMatchObject({
        topic: "users",
        id: failing.id,
        type: "FOLLOWED",
        key: "ghost",
        error: "no such account ghost",
        failedConsumer: "dlq-test",
        replayed: false,
      });

      fixed = true;
      const replayed = await replayDeadLetters({ brokers, namespace, topics: ["users"], logger });
      expect(replayed.map((letter) => letter.id)).toEqual([failing.id]);
      await vi.waitFor(
        async () => {
          const rows = await database.db
            .select()
            .from(appliedEvents)
            .where(eq(appliedEvents.eventId, failing.id));
          expect(rows).toHaveLength(1);
        },
        { timeout: 30_000, interval: 100 },
      );
      expect(await replayDeadLetters({ brokers, namespace, logger })).toEqual([]);
      const after = await listDeadLetters({ brokers, namespace, logger });
      expect(after.map((letter) => [letter.id, letter.replayed])).toEqual([[failing.id, true]]);
    } finally {
      await consumer.stop();
      await bus.close();
    }
  }, 120_000);
});
