import { Kafka, logLevel } from "kafkajs";
import pino from "pino";
import type { EventBus } from "../envelope.ts";
import { createKafkaBus } from "../kafka-bus.ts";

// Real PostgreSQL and Kafka (scripts/infra.sh up; then TEST_DATABASE_URL / TEST_KAFKA_BROKERS).
// Missing variables fail the integration files on purpose: that run must not pass by skipping.
export const databaseUrl = process.env.TEST_DATABASE_URL;
export const kafkaBrokers = process.env.TEST_KAFKA_BROKERS?.split(",").filter((broker) => broker !== "");
export const testLogger = pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });

export function required<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new Error(`${name} is not set: the integration tests need it`);
  return value;
}

/** Kafka buses, each in its own namespace; deleteNamespacedTopics() removes what they created. */
export function namespacedBuses(clientId: string): {
  kafkaBus(namespace: string): EventBus;
  deleteNamespacedTopics(): Promise<void>;
} {
  const namespaces = new Set<string>();
  return {
    kafkaBus(namespace) {
      namespaces.add(namespace);
      return createKafkaBus({
        brokers: required(kafkaBrokers, "TEST_KAFKA_BROKERS"),
        clientId: `${clientId}-${process.pid}`,
        logger: testLogger,
        namespace,
      });
    },
    async deleteNamespacedTopics() {
      const admin = new Kafka({
        clientId: `${clientId}-cleanup-${process.pid}`,
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
    },
  };
}
