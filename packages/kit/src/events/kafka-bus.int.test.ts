import { sql } from "drizzle-orm";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { Kafka, logLevel } from "kafkajs";
import pino from "pino";
import { describe, expect, it, vi } from "vitest";
import { newId } from "../db/ids.ts";
import { migrate } from "../db/migrate.ts";
import { createPostgresConnector } from "../db/postgres-connector.ts";
import { rowsOf } from "../db/rows.ts";
import type { EventEnvelope } from "./envelope.ts";
import { createKafkaBus } from "./kafka-bus.ts";
import { openTestDatabase, testMigrations } from "./test-fixtures/database.ts";
import { describePipeline } from "./test-fixtures/pipeline-suite.ts";

// Real PostgreSQL and Kafka (scripts/infra.sh up; then TEST_DATABASE_URL / TEST_KAFKA_BROKERS).
// Missing variables fail this file on purpose: the integration run must not pass by skipping.
const databaseUrl = process.env.TEST_DATABASE_URL;
const kafkaBrokers = process.env.TEST_KAFKA_BROKERS?.split(",").filter((broker) => broker !== "");
const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });

function required<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new Error(`${name} is not set: the integration tests need it`);
  return value;
}

function kafkaBus(namespace?: string) {
  return createKafkaBus({
    brokers: required(kafkaBrokers, "TEST_KAFKA_BROKERS"),
    clientId: `kit-test-${process.pid}`,
    logger,
    namespace,
  });
}

describe("integration environment", () => {
  it("names a PostgreSQL database and Kafka brokers", () => {
    expect(databaseUrl, "TEST_DATABASE_URL").toMatch(/^postgres(ql)?:\/\//);
    expect(kafkaBrokers?.length, "TEST_KAFKA_BROKERS").toBeGreaterThan(0);
  });
});

describe("migrate on PostgreSQL", () => {
  it("lets several processes migrate one database at the same time", async () => {
    const url = required(databaseUrl, "TEST_DATABASE_URL");
    const connectors = [1, 2, 3, 4].map(() => createPostgresConnector({ url, max: 2 }));
    const handles = await Promise.all(connectors.map((connector) => connector.connect()));
    try {
      await handles[0]?.db.execute(sql`drop schema if exists kit_test cascade`);
      await Promise.all(
        handles.map((handle) => migrate(handle, { schema: "kit_test", migrationsFolder: testMigrations })),
      );
      const applied = rowsOf(
        await handles[0]?.db.execute(sql`select hash from kit_test.__drizzle_migrations`),
      );
      expect(applied).toHaveLength(readMigrationFiles({ migrationsFolder: testMigrations }).length);
    } finally {
      await Promise.all(connectors.map((connector) => connector.close()));
    }
  }, 60_000);
});

describe("kafka bus", () => {
  it("carries id, type, key, time, payload and headers through Kafka", async () => {
    const bus = kafkaBus();
    try {
      const sent: EventEnvelope = {
        id: newId(),
        topic: "kit-test-envelopes",
        type: "PINGED",
        aggregateId: newId(),
        occurredAt: new Date("2024-05-01T10:00:00.123Z"),
        payload: new Uint8Array([0, 1, 2, 250]),
        headers: { traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" },
      };
      const received: EventEnvelope[] = [];
      await bus.subscribe({
        group: `kit-test-${newId()}`,
        topics: [sent.topic],
        handle: async (event) => void (event.id === sent.id && received.push(event)),
      });
      await bus.send([sent]);
      await vi.waitFor(() => expect(received).toHaveLength(1), { timeout: 30_000, interval: 50 });
      expect(received[0]).toEqual(sent);
      await bus.ping();
    } finally {
      await bus.close();
    }
  }, 60_000);
});

describe("kafka bus namespaces", () => {
  it("keeps two stacks on one broker apart: same topic and group names, no event crosses", async () => {
    const [first, second] = [`kit-ns-${newId().slice(-8)}.`, `kit-ns-${newId().slice(-8)}.`];
    const [busA, busB] = [kafkaBus(first), kafkaBus(second)];
    try {
      const heard: Record<"a" | "b", string[]> = { a: [], b: [] };
      await busA.subscribe({
        group: "kit-test-ns",
        topics: ["kit-test-shared"],
        handle: async (e) => void heard.a.push(e.id),
      });
      await busB.subscribe({
        group: "kit-test-ns",
        topics: ["kit-test-shared"],
        handle: async (e) => void heard.b.push(e.id),
      });
      const [toA, toB] = [freshEvent("kit-test-shared"), freshEvent("kit-test-shared")];
      await busA.send([toA]);
      await busB.send([toB]);
      await vi.waitFor(() => expect([heard.a, heard.b]).toEqual([[toA.id], [toB.id]]), {
        timeout: 30_000,
        interval: 50,
      });
      // What each bus hands its handlers is the topic without the namespace.
      expect(toA.topic).toBe("kit-test-shared");
    } finally {
      await Promise.all([busA.close(), busB.close()]);
      await deleteTopics([`${first}kit-test-shared`, `${second}kit-test-shared`]);
    }
  }, 90_000);
});

function freshEvent(topic: string): EventEnvelope {
  return {
    id: newId(),
    topic,
    type: "PINGED",
    aggregateId: newId(),
    occurredAt: new Date(),
    payload: new Uint8Array([1]),
    headers: {},
  };
}

/** Deletes the topics (and their .dlq) a test made, so a long-lived broker does not collect them. */
async function deleteTopics(topics: string[]): Promise<void> {
  const admin = new Kafka({
    clientId: `kit-test-cleanup-${process.pid}`,
    brokers: required(kafkaBrokers, "TEST_KAFKA_BROKERS"),
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const names = topics.flatMap((topic) => [topic, `${topic}.dlq`]).filter((name) => existing.has(name));
    if (names.length > 0) await admin.deleteTopics({ topics: names });
  } finally {
    await admin.disconnect();
  }
}

describe("kafka bus on brand-new topics", () => {
  // A new topic is not served at once: Kafka 4 answers "unknown topic or partition" (not only
  // "leader not available") until the broker's metadata catches up with the controller.
  it("creates a topic and produces to it at once, round after round, each with a fresh client", async () => {
    const topics: string[] = [];
    try {
      for (let round = 0; round < 12; round++) {
        const topic = `kit-test-fresh-${newId()}`;
        topics.push(topic);
        const bus = kafkaBus();
        try {
          await bus.send([freshEvent(topic)]);
        } finally {
          await bus.close();
        }
      }
    } finally {
      await deleteTopics(topics);
    }
  }, 180_000);

  it("lets several clients create the same new topic together, then delivers to each subscriber", async () => {
    const topic = `kit-test-race-${newId()}`;
    const buses = [kafkaBus(), kafkaBus(), kafkaBus()];
    try {
      const received = buses.map(() => new Set<string>());
      await Promise.all(
        buses.map((bus, index) =>
          bus.subscribe({
            group: `kit-test-${newId()}`,
            topics: [topic],
            handle: async (event) => void received[index]?.add(event.id),
          }),
        ),
      );
      const sent = [freshEvent(topic), freshEvent(topic), freshEvent(topic)];
      await Promise.all(sent.map((event, index) => buses[index]?.send([event])));
      await vi.waitFor(
        () =>
          expect(received.map((ids) => [...ids].sort())).toEqual(
            buses.map(() => sent.map((e) => e.id).sort()),
          ),
        { timeout: 30_000, interval: 100 },
      );
    } finally {
      await Promise.all(buses.map((bus) => bus.close()));
      await deleteTopics([topic]);
    }
  }, 120_000);
});

describePipeline("events pipeline on PostgreSQL and Kafka", {
  openDatabase: () => openTestDatabase(required(databaseUrl, "TEST_DATABASE_URL")),
  openBus: async () => kafkaBus(),
  deliveryTimeoutMs: 30_000,
});
