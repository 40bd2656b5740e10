import { createServer, type Server, type Socket, connect as tcpConnect } from "node:net";
import { eq, sql } from "drizzle-orm";
import { Kafka, logLevel } from "kafkajs";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { newId } from "../db/ids.ts";
import { createPostgresConnector } from "../db/postgres-connector.ts";
import { isTransientFault } from "../errors/transient.ts";
import { testEvent } from "../testing/events.ts";
import { startConsumer } from "./consumer.ts";
import type { EventBus } from "./envelope.ts";
import { createKafkaBus } from "./kafka-bus.ts";
import { listDeadLetters, replayDeadLetters } from "./kafka-dead-letters.ts";
import { openTestDatabase, type TestDatabase } from "./test-fixtures/database.ts";
import { appliedEvents, followerCounts, inbox } from "./test-fixtures/schema.ts";

// Real PostgreSQL and Kafka (TEST_DATABASE_URL / TEST_KAFKA_BROKERS), as kafka-bus.int.test.ts.
const databaseUrl = process.env.TEST_DATABASE_URL;
const kafkaBrokers = process.env.TEST_KAFKA_BROKERS?.split(",").filter((broker) => broker !== "");
const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });

function required<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new Error(`${name} is not set: the integration tests need it`);
  return value;
}

const namespaces = new Set<string>();

/** Deletes the topics of every namespace a test used, so a long-lived broker does not collect them. */
afterAll(async () => {
  const admin = new Kafka({
    clientId: `kit-faults-cleanup-${process.pid}`,
    brokers: required(kafkaBrokers, "TEST_KAFKA_BROKERS"),
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const made = (await admin.listTopics()).filter((topic) =>
      [...namespaces].some((ns) => topic.startsWith(ns)),
    );
    if (made.length > 0) await admin.deleteTopics({ topics: made });
  } finally {
    await admin.disconnect();
  }
});

function kafkaBus(namespace: string): EventBus {
  namespaces.add(namespace);
  return createKafkaBus({
    brokers: required(kafkaBrokers, "TEST_KAFKA_BROKERS"),
    clientId: `kit-faults-${process.pid}`,
    logger,
    namespace,
  });
}

/**
 * A TCP hop in front of PostgreSQL that can go down like the server does when killed: open
 * connections are cut (the driver sees them closed) and new ones are refused, until it is up again.
 */
async function databaseHop(
  target: string,
  opts: { cutWhenSent?: string } = {},
): Promise<{ url: string; down(): Promise<void>; up(): Promise<void>; cuts: () => number }> {
  let cuts = 0;
  const upstream = new URL(target);
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const listen = async (): Promise<void> => {
    server = createServer((client) => {
      const peer = tcpConnect(Number(upstream.port || 5432), upstream.hostname);
      for (const socket of [client, peer]) {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
        socket.on("error", () => undefined);
      }
      // cutWhenSent: the first connection that sends this text dies right then (a backend killed).
      client.on("data", (chunk: Buffer) => {
        if (
          opts.cutWhenSent !== undefined &&
          cuts === 0 &&
          chunk.toString("latin1").includes(opts.cutWhenSent)
        ) {
          cuts++;
          client.resetAndDestroy(); // RST: the driver sees ECONNRESET, as from a killed backend
          peer.destroy();
        }
      });
      client.pipe(peer).pipe(client);
    });
    await new Promise<void>((resolve) => server?.listen(port, "127.0.0.1", resolve));
    const address = server.address();
    if (typeof address === "object" && address !== null) port = address.port;
  };
  await listen();
  const url = new URL(target);
  url.hostname = "127.0.0.1";
  url.port = String(port);
  return {
    url: url.toString(),
    async down() {
      const closing = new Promise<void>((resolve) => server?.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closing;
    },
    up: listen,
    cuts: () => cuts,
  };
}

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
