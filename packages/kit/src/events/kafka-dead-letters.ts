import { randomUUID } from "node:crypto";
import { type Admin, Kafka, type KafkaMessage, logLevel, Partitioners } from "kafkajs";
import type { Logger } from "pino";
import { createKafkaLog } from "./kafka-log.ts";
import { headerStrings } from "./kafka-messages.ts";
import { fixKafkaNegativeTimer } from "./kafka-timer-fix.ts";

const DLQ_SUFFIX = ".dlq";
/** The consumer group that remembers which dead letters were replayed already. */
const REPLAY_GROUP = "dead-letters-replay";
/** Headers the consumer adds when it dead-letters an event; a replay sends the event without them. */
const FAILURE_HEADERS = new Set(["error", "failed-consumer"]);

export interface DeadLetterOptions {
  brokers: string[];
  /** KAFKA_NAMESPACE of the stack (before every topic and group name); default none. */
  namespace?: string;
  /** Only these topics' dead letters ("users" or "users.dlq"); default every topic's. */
  topics?: string[];
  logger: Logger;
}

export interface DeadLetter {
  /** The topic the event failed on (its dead letters are in "<topic>.dlq"). */
  topic: string;
  partition: number;
  offset: string;
  id: string | undefined;
  type: string | undefined;
  key: string | undefined;
  error: string | undefined;
  failedConsumer: string | undefined;
  occurredAt: string | undefined;
  /** Already re-published by an earlier replay. */
  replayed: boolean;
}

interface Reading {
  topic: string;
  partition: number;
  message: KafkaMessage;
}

/** Every dead letter in the DLQ topics, oldest first per partition, with whether it was replayed. */
export async function listDeadLetters(opts: DeadLetterOptions): Promise<DeadLetter[]> {
  return withKafka(opts, async (kafka, admin, namespace) => {
    const topics = await deadLetterTopics(admin, namespace, opts.topics);
    const replayedUntil = await committedOffsets(admin, namespace + REPLAY_GROUP, topics);
    const read = await readAll(
      kafka,
      admin,
      `${namespace}dead-letters-list-${randomUUID()}`,
      topics,
      "beginning",
    );
    return read.map(({ topic, partition, message }) => {
      const headers = headerStrings(message.headers);
      return {
        topic: topic.slice(namespace.length, -DLQ_SUFFIX.length),
        partition,
        offset: message.offset,
        id: headers.id,
        type: headers.type,
        key: message.key?.toString("utf8"),
        error: headers.error,
        failedConsumer: headers["failed-consumer"],
        occurredAt: headers["occurred-at"],
        replayed: Number(message.offset) < (replayedUntil.get(`${topic}:${partition}`) ?? 0),
      };
    });
  });
}

/**
 * Re-publishes each dead letter not replayed yet to its original topic: same key, value and
 * headers (without the failure's). Consumers that applied it already skip it (their inbox), the
 * one that failed applies it now, or dead-letters it again. Returns what was replayed.
 */
export async function replayDeadLetters(opts: DeadLetterOptions): Promise<DeadLetter[]> {
  return withKafka(opts, async (kafka, admin, namespace) => {
    const topics = await deadLetterTopics(admin, namespace, opts.topics);
    // The bus's partitioner: a replayed event lands on its key's partition, behind its aggregate's.
    const producer = kafka.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
    });
    await producer.connect();
    const replayed: DeadLetter[] = [];
    try {
      await readAll(kafka, admin, namespace + REPLAY_GROUP, topics, "committed", async (reading, commit) => {
        const { topic, partition, message } = reading;
        const headers = headerStrings(message.headers);
        const original = topic.slice(0, -DLQ_SUFFIX.length);
        await producer.send({
          topic: original,
          acks: -1,
          messages: [
            {
              key: message.key,
              value: message.value,
              headers: Object.fromEntries(
                Object.entries(headers).filter(([name]) => !FAILURE_HEADERS.has(name)),
              ),
            },
          ],
        });
        await commit();
        replayed.push({
          topic: original.slice(namespace.length),
          partition,
          offset: message.offset,
          id: headers.id,
          type: headers.type,
          key: message.key?.toString("utf8"),
          error: headers.error,
          failedConsumer: headers["failed-consumer"],
          occurredAt: headers["occurred-at"],
          replayed: true,
        });
      });
    } finally {
      await producer.disconnect();
    }
    return replayed;
  });
}

async function withKafka<T>(
  opts: DeadLetterOptions,
  work: (kafka: Kafka, admin: Admin, namespace: string) => Promise<T>,
): Promise<T> {
  fixKafkaNegativeTimer();
  const kafka = new Kafka({
    clientId: "dead-letters",
    brokers: opts.brokers,
    connectionTimeout: 3_000,
    retry: { initialRetryTime: 100, maxRetryTime: 1_000, retries: 5 },
    logLevel: logLevel.WARN,
    logCreator: createKafkaLog(opts.logger).logCreator,
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await work(kafka, admin, opts.namespace ?? "");
  } finally {
    await admin.disconnect();
  }
}

async function deadLetterTopics(
  admin: Admin,
  namespace: string,
  only: string[] | undefined,
): Promise<string[]> {
  const wanted =
    only === undefined
      ? undefined
      : new Set(only.map((topic) => namespace + (topic.endsWith(DLQ_SUFFIX) ? topic : topic + DLQ_SUFFIX)));
  return (await admin.listTopics())
    .filter((topic) => topic.startsWith(namespace) && topic.endsWith(DLQ_SUFFIX))
    .filter((topic) => wanted === undefined || wanted.has(topic))
    .sort();
}

/** The group's committed offset per "topic:partition" (absent: nothing committed). */
async function committedOffsets(
  admin: Admin,
  groupId: string,
  topics: string[],
): Promise<Map<string, number>> {
  const committed = new Map<string, number>();
  if (topics.length === 0) return committed;
  for (const { topic, partitions } of await admin.fetchOffsets({ groupId, topics })) {
    for (const { partition, offset } of partitions) {
      if (Number(offset) >= 0) committed.set(`${topic}:${partition}`, Number(offset));
    }
  }
  return committed;
}

/**
 * Reads `topics` from the beginning (a throwaway group, deleted after) or from `groupId`'s
 * committed offsets, up to the end they had when the read began, then stops.
 */
async function readAll(
  kafka: Kafka,
  admin: Admin,
  groupId: string,
  topics: string[],
  from: "beginning" | "committed",
  each?: (reading: Reading, commit: () => Promise<void>) => Promise<void>,
): Promise<Reading[]> {
  const committed = from === "committed" ? await committedOffsets(admin, groupId, topics) : new Map();
  const remaining = new Map<string, number>(); // "topic:partition" → end offset still to reach
  for (const topic of topics) {
    for (const { partition, high, low } of await admin.fetchTopicOffsets(topic)) {
      const start = committed.get(`${topic}:${partition}`) ?? Number(low);
      if (Number(high) > start) remaining.set(`${topic}:${partition}`, Number(high));
    }
  }
  const readings: Reading[] = [];
  if (remaining.size === 0) return readings;
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 100 });
  let finished!: () => void;
  let failed!: (error: unknown) => void;
  const done = new Promise<void>((resolve, reject) => {
    finished = resolve;
    failed = reject;
  });
  try {
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message }) => {
        const key = `${topic}:${partition}`;
        const end = remaining.get(key);
        if (end === undefined || Number(message.offset) >= end) return;
        const reading = { topic, partition, message };
        try {
          await each?.(reading, () =>
            consumer.commitOffsets([{ topic, partition, offset: String(Number(message.offset) + 1) }]),
          );
        } catch (error) {
          failed(error);
          throw error;
        }
        readings.push(reading);
        if (Number(message.offset) + 1 >= end) remaining.delete(key);
        if (remaining.size === 0) finished();
      },
    });
    await done;
  } finally {
    await consumer.disconnect();
    if (from === "beginning") await admin.deleteGroups([groupId]).catch(() => undefined);
  }
  return readings.sort((a, b) =>
    a.topic === b.topic
      ? a.partition - b.partition || Number(a.message.offset) - Number(b.message.offset)
      : a.topic < b.topic
        ? -1
        : 1,
  );
}
