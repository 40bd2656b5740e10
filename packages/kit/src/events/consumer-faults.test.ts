import { Writable } from "node:stream";
import { eq, sql } from "drizzle-orm";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { metricsRegistry } from "../server/metrics.ts";
import { testEvent } from "../testing/events.ts";
import { startConsumer } from "./consumer.ts";
import type { EventEnvelope } from "./envelope.ts";
import { createInProcessBus } from "./in-process-bus.ts";
import { startInboxSweep } from "./inbox-sweep.ts";
import { createOutbox } from "./outbox.ts";
import { startOutboxRelay } from "./outbox-relay.ts";
import { openTestDatabase, type TestDatabase } from "./test-fixtures/database.ts";
import { followerCounts, inbox, outbox } from "./test-fixtures/schema.ts";

/** A pino logger whose lines are kept, parsed. */
function recordingLogger() {
  const lines: { level: number; msg: string }[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level: "debug" }, stream), lines };
}

const refused = () =>
  Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });

async function metricValue(name: string, labels: Record<string, string>): Promise<number> {
  const metric = await metricsRegistry.getSingleMetric(name)?.get();
  const sample = metric?.values.find((value) =>
    Object.entries(labels).every(([key, wanted]) => String(value.labels[key]) === wanted),
  );
  return sample?.value ?? 0;
}

// One database for the file (each test uses its own consumer names and rows).
let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
}, 60_000);
afterAll(() => database?.close());

describe("consumer faults", () => {
  it("waits out a transient fault however long it lasts: applied once, never dead-lettered, two log lines", async () => {
    const bus = createInProcessBus();
    const dead: EventEnvelope[] = [];
    await bus.subscribe({
      group: "dlq-watch",
      topics: ["users.dlq"],
      handle: async (e) => void dead.push(e),
    });
    const { logger, lines } = recordingLogger();
    let failuresLeft = 12; // more than maxAttempts: transient faults do not count
    const consumer = await startConsumer({
      name: "transient-test",
      db: database.db,
      inbox,
      bus,
      logger,
      maxAttempts: 3,
      retryDelayMs: 5,
      transientRetryCapMs: 20,
      handlers: {
        users: {
          FOLLOWED: async (tx, followed) => {
            await tx
              .insert(followerCounts)
              .values({ userId: followed.followeeId, followers: 1 })
              .onConflictDoUpdate({
                target: followerCounts.userId,
                set: { followers: sql`follower_counts.followers + 1` },
              });
            if (failuresLeft-- > 0) throw refused(); // after the write: the rollback must undo it
          },
        },
      },
    });
    const first = testEvent(
      "users",
      "FOLLOWED",
      { followerId: "a", followeeId: "t-1" },
      { aggregateId: "t-1" },
    );
    const second = testEvent(
      "users",
      "FOLLOWED",
      { followerId: "b", followeeId: "t-1" },
      { aggregateId: "t-1" },
    );
    const retriesBefore = await metricValue("consumer_retries_total", {
      consumer: "transient-test",
      kind: "transient",
    });
    await bus.send([first, second]);
    await vi.waitFor(
      async () => {
        const [row] = await database.db.select().from(followerCounts).where(eq(followerCounts.userId, "t-1"));
        expect(row?.followers).toBe(2);
      },
      { timeout: 5_000 },
    );
    await consumer.stop();
    await bus.close();
    expect(dead).toEqual([]);
    expect(
      (await metricValue("consumer_retries_total", { consumer: "transient-test", kind: "transient" })) -
        retriesBefore,
    ).toBe(12);
    const warnings = lines.filter((line) => line.level >= 40);
    expect(warnings.map((line) => line.msg)).toEqual(["dependency unavailable, retrying until it answers"]);
    expect(lines.filter((line) => line.msg === "dependency back, consuming again")).toHaveLength(1);
  }, 20_000);

  it("dead-letters a deterministic failure after maxAttempts, with the error, and goes on", async () => {
    const bus = createInProcessBus();
    const dead: EventEnvelope[] = [];
    await bus.subscribe({
      group: "dlq-watch",
      topics: ["users.dlq"],
      handle: async (e) => void dead.push(e),
    });
    let attempts = 0;
    const applied: string[] = [];
    const consumer = await startConsumer({
      name: "deterministic-test",
      db: database.db,
      inbox,
      bus,
      logger: pino({ level: "silent" }),
      maxAttempts: 3,
      retryDelayMs: 5,
      handlers: {
        users: {
          FOLLOWED: async (_tx, followed) => {
            if (followed.followeeId === "bad") {
              attempts++;
              throw new Error("followee bad does not parse");
            }
            applied.push(followed.followeeId);
          },
        },
      },
    });
    const bad = testEvent("users", "FOLLOWED", { followerId: "a", followeeId: "bad" }, { aggregateId: "k" });
    const good = testEvent(
      "users",
      "FOLLOWED",
      { followerId: "a", followeeId: "good" },
      { aggregateId: "k" },
    );
    const deadBefore = await metricValue("consumer_dead_letters_total", { consumer: "deterministic-test" });
    await bus.send([bad, good]);
    await vi.waitFor(() => expect(applied).toEqual(["good"]), { timeout: 5_000 });
    await vi.waitFor(() => expect(dead).toHaveLength(1));
    await consumer.stop();
    await bus.close();
    expect(attempts).toBe(3);
    expect(dead.map((e) => [e.id, e.topic, e.headers.error, e.headers["failed-consumer"]])).toEqual([
      [bad.id, "users.dlq", "followee bad does not parse", "deterministic-test"],
    ]);
    expect(
      (await metricValue("consumer_dead_letters_total", { consumer: "deterministic-test" })) - deadBefore,
    ).toBe(1);
    const applying = await database.db.select().from(inbox).where(eq(inbox.eventId, bad.id));
    expect(applying).toEqual([]); // not in the inbox: a replay applies it
  }, 20_000);

  it("reports the group's lag on the in-process bus", async () => {
    const bus = createInProcessBus();
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await bus.subscribe({ group: "slow", topics: ["users"], handle: () => held });
    await bus.send(
      [1, 2, 3].map((n) => testEvent("users", "FOLLOWED", { followerId: `${n}`, followeeId: "x" })),
    );
    expect(await bus.lag?.("slow", ["users"])).toEqual([{ topic: "users", partition: 0, lag: 3 }]);
    release();
    await vi.waitFor(async () =>
      expect(await bus.lag?.("slow", ["users"])).toEqual([{ topic: "users", partition: 0, lag: 0 }]),
    );
    await bus.close();
  });
});

describe("inbox sweep", () => {
  it("deletes one consumer's rows past the retention, in batches, and counts them", async () => {
    const old = new Date(Date.now() - 8 * 24 * 3_600_000);
    const rows = (consumer: string, processedAt: Date, count: number) =>
      Array.from({ length: count }, () => ({ consumer, eventId: crypto.randomUUID(), processedAt }));
    await database.db
      .insert(inbox)
      .values([
        ...rows("sweeper", old, 25),
        ...rows("sweeper", new Date(), 4),
        ...rows("someone-else", old, 3),
      ]);
    const before = await metricValue("inbox_rows_removed_total", { consumer: "sweeper" });
    const sweep = startInboxSweep({
      db: database.db,
      inbox,
      consumer: "sweeper",
      logger: pino({ level: "silent" }),
      retention: { everyMs: 3_600_000, batchSize: 10 },
    });
    await vi.waitFor(async () =>
      expect((await metricValue("inbox_rows_removed_total", { consumer: "sweeper" })) - before).toBe(25),
    );
    expect(await sweep.sweep()).toBe(0);
    await sweep.stop();
    const left = await database.db.select({ consumer: inbox.consumer }).from(inbox);
    expect(left.filter((row) => row.consumer === "sweeper")).toHaveLength(4);
    expect(left.filter((row) => row.consumer === "someone-else")).toHaveLength(3);
  });
});

describe("event metrics", () => {
  it("exposes the outbox backlog (unsent rows) while the bus refuses them", async () => {
    const bus = createInProcessBus();
    const refusing = { ...bus, send: () => Promise.reject(new Error("bus refuses")) };
    const relay = startOutboxRelay({
      db: database.db,
      table: outbox,
      bus: refusing,
      logger: pino({ level: "silent" }),
      notifications: false,
    });
    const publishing = createOutbox(outbox);
    await database.db.transaction(async (tx) => {
      for (const followeeId of ["x", "y", "z"])
        await publishing.publish(tx, {
          topic: "users",
          type: "FOLLOWED",
          aggregateId: followeeId,
          payload: { followerId: "a", followeeId },
        });
    });
    expect(await metricValue("outbox_backlog", { outbox: "kit_test" })).toBe(3);
    await relay.stop();
    await bus.close();
  });

  it("exposes each consumer's lag per topic and partition", async () => {
    const bus = createInProcessBus();
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const consumer = await startConsumer({
      name: "lagging",
      db: database.db,
      inbox,
      bus,
      logger: pino({ level: "silent" }),
      handlers: { users: { FOLLOWED: () => held } },
    });
    await bus.send(
      [1, 2].map((n) => testEvent("users", "FOLLOWED", { followerId: `${n}`, followeeId: "x" })),
    );
    expect(await metricValue("consumer_lag", { consumer: "lagging", topic: "users", partition: "0" })).toBe(
      2,
    );
    release();
    await vi.waitFor(async () =>
      expect(await metricValue("consumer_lag", { consumer: "lagging", topic: "users" })).toBe(0),
    );
    await consumer.stop();
    await bus.close();
  });
});
