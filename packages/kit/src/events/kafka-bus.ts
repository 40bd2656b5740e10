// The only file that imports kafkajs (unmaintained since 2023): keep it swappable.
import {
  type Admin,
  type Consumer,
  type IHeaders,
  Kafka,
  type KafkaMessage,
  type LogEntry,
  logLevel,
  Partitioners,
  type Producer,
} from "kafkajs";
import type { Logger } from "pino";
import {
  deadLetterTopic,
  type EventBus,
  type EventEnvelope,
  type Subscription,
  type SubscriptionSpec,
} from "./envelope.ts";
import { KafkaNotReady, type KafkaRetryOptions, retryKafka } from "./kafka-retry.ts";
import { createPause } from "./pause.ts";

export interface KafkaBusOptions {
  brokers: string[];
  clientId: string;
  logger: Logger;
  /** Partitions of topics this bus creates; default 3. */
  partitions?: number;
  /** Replication factor of topics this bus creates; default 1 (one broker). */
  replicationFactor?: number;
  /**
   * Put before every topic and consumer group name on the broker (e.g. "e2e-1a2b."), so that
   * several stacks share one broker without reading each other's events; default none.
   */
  namespace?: string;
}

const ID = "id";
const TYPE = "type";
const OCCURRED_AT = "occurred-at";
/** How long creating a topic (until its leaders serve it), a send or a subscribe keeps retrying. */
const RETRY_BUDGET_MS = 30_000;

/**
 * EventBus over Kafka. Key = aggregate id (so one aggregate's events share a partition and stay
 * in order), value = protobuf payload, headers = id, type, occurred-at and the envelope's own
 * (traceparent…). Topics and their "<topic>.dlq" are created on first use.
 */
export function createKafkaBus(opts: KafkaBusOptions): EventBus {
  const logger = opts.logger.child({ component: "kafka" });
  const partitions = opts.partitions ?? 3;
  const replicationFactor = opts.replicationFactor ?? 1;
  const namespace = opts.namespace ?? "";
  const onBroker = (name: string): string => namespace + name;
  const fromBroker = (name: string): string =>
    name.startsWith(namespace) ? name.slice(namespace.length) : name;
  const kafka = new Kafka({
    clientId: opts.clientId,
    brokers: opts.brokers,
    connectionTimeout: 3_000,
    retry: { initialRetryTime: 100, maxRetryTime: 5_000, retries: 8 },
    // kafkajs logs retriable hiccups (coordinator moving, broker restarting) as errors; what
    // really fails reaches our code as a thrown error. So: its warnings and errors, at warn.
    logLevel: logLevel.WARN,
    logCreator: () => (entry: LogEntry) => {
      const { message, ...details } = entry.log;
      logger.warn({ kafka: { namespace: entry.namespace, ...details } }, message);
    },
  });

  const consumers = new Set<Consumer>();
  const topicsReady = new Map<string, Promise<void>>();
  let admin: Promise<Admin> | undefined;
  let producer: Promise<Producer> | undefined;
  let closed = false;
  const pause = createPause();
  const retrying = (what: string): KafkaRetryOptions => ({
    what,
    budgetMs: RETRY_BUDGET_MS,
    logger,
    pause,
    closed: () => closed,
  });

  function connected<T extends { connect(): Promise<void> }>(client: T): Promise<T> {
    return client.connect().then(() => client);
  }

  function adminClient(): Promise<Admin> {
    admin ??= connected(kafka.admin()).catch((error: unknown) => {
      admin = undefined;
      throw error;
    });
    return admin;
  }

  function producerClient(): Promise<Producer> {
    producer ??= connected(
      kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false }),
    ).catch((error: unknown) => {
      producer = undefined;
      throw error;
    });
    return producer;
  }

  // Not createTopics' waitForLeaders: it retries "leader not available" only, while a new topic
  // on Kafka 4 is first "unknown topic or partition" until the broker's metadata catches up.
  async function createTopics(topics: string[]): Promise<void> {
    await retryKafka(async () => {
      const client = await adminClient();
      const existing = new Set(await client.listTopics());
      const missing = topics.filter((topic) => !existing.has(topic));
      if (missing.length === 0) return;
      // false = another service created them first; that is fine.
      await client.createTopics({
        topics: missing.map((topic) => ({ topic, numPartitions: partitions, replicationFactor })),
        waitForLeaders: false,
      });
    }, retrying("create topics"));
    await retryKafka(async () => {
      const { topics: found } = await (await adminClient()).fetchTopicMetadata({ topics });
      const served = new Set(
        found
          .filter(({ partitions }) => partitions.length > 0)
          .filter(({ partitions }) => partitions.every((p) => p.leader >= 0 && p.partitionErrorCode === 0))
          .map(({ name }) => name),
      );
      const waiting = topics.filter((topic) => !served.has(topic));
      if (waiting.length > 0) throw new KafkaNotReady(`no leader yet for ${waiting.join(", ")}`);
    }, retrying("wait for topic leaders"));
  }

  async function ensureTopics(topics: string[]): Promise<void> {
    const wanted = [...new Set(topics.flatMap((t) => (t.endsWith(".dlq") ? [t] : [t, deadLetterTopic(t)])))];
    const missing = wanted.filter((topic) => !topicsReady.has(topic));
    if (missing.length > 0) {
      const creating = createTopics(missing.map(onBroker));
      for (const topic of missing) {
        topicsReady.set(
          topic,
          creating.catch((error: unknown) => {
            topicsReady.delete(topic);
            throw error;
          }),
        );
      }
    }
    await Promise.all(wanted.map((topic) => topicsReady.get(topic)));
  }

  /** A consumer of the spec's topics, running; disconnected again when a step fails. */
  async function runConsumer(spec: SubscriptionSpec): Promise<Consumer> {
    const consumer = kafka.consumer({
      groupId: onBroker(spec.group),
      // Quick to notice a dead member and to rebalance: tests and restarts start fast.
      sessionTimeout: 10_000,
      rebalanceTimeout: 10_000,
      heartbeatInterval: 1_000,
      maxWaitTimeInMs: 100,
      allowAutoTopicCreation: false,
      retry: { initialRetryTime: 100, maxRetryTime: 5_000, retries: 10 },
    });
    consumers.add(consumer);
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: spec.topics.map(onBroker), fromBeginning: true });
      await consumer.run({
        partitionsConsumedConcurrently: partitions,
        eachMessage: async ({ topic, partition, message }) => {
          const event = fromMessage(fromBroker(topic), message);
          if (event === undefined) {
            logger.warn(
              { topic, partition, offset: message.offset },
              "kafka message without id/type, skipped",
            );
            return;
          }
          await spec.handle(event);
        },
      });
    } catch (error) {
      consumers.delete(consumer);
      await consumer.disconnect().catch(() => undefined);
      throw error;
    }
    return consumer;
  }

  return {
    async send(events) {
      if (closed) throw new Error("kafka bus is closed");
      if (events.length === 0) return;
      await ensureTopics(events.map((event) => event.topic));
      const byTopic = new Map<string, EventEnvelope[]>();
      for (const event of events) byTopic.set(event.topic, [...(byTopic.get(event.topic) ?? []), event]);
      const topicMessages = [...byTopic].map(([topic, batch]) => ({
        topic: onBroker(topic),
        messages: batch.map(toMessage),
      }));
      await retryKafka(async () => {
        await (await producerClient()).sendBatch({ acks: -1, topicMessages });
      }, retrying("send"));
    },

    async subscribe(spec): Promise<Subscription> {
      if (closed) throw new Error("kafka bus is closed");
      await ensureTopics(spec.topics);
      const consumer = await retryKafka(() => runConsumer(spec), retrying("subscribe"));
      return {
        async close() {
          if (!consumers.delete(consumer)) return;
          await consumer.disconnect();
        },
      };
    },

    async ping() {
      if (closed) throw new Error("kafka bus is closed");
      await (await adminClient()).describeCluster();
    },

    async close() {
      closed = true;
      pause.stop();
      const open = [...consumers];
      consumers.clear();
      await Promise.allSettled(open.map((consumer) => consumer.disconnect()));
      const [producing, administering] = [producer, admin];
      producer = undefined;
      admin = undefined;
      await Promise.allSettled([
        producing?.then((client) => client.disconnect()),
        administering?.then((client) => client.disconnect()),
      ]);
    },
  };
}

function toMessage(event: EventEnvelope) {
  return {
    key: event.aggregateId,
    value: Buffer.from(event.payload.buffer, event.payload.byteOffset, event.payload.byteLength),
    headers: {
      ...event.headers,
      [ID]: event.id,
      [TYPE]: event.type,
      [OCCURRED_AT]: event.occurredAt.toISOString(),
    },
  };
}

function fromMessage(topic: string, message: KafkaMessage): EventEnvelope | undefined {
  const { [ID]: id, [TYPE]: type, [OCCURRED_AT]: occurredAt, ...headers } = headerStrings(message.headers);
  if (id === undefined || type === undefined) return undefined;
  const value = message.value ?? Buffer.alloc(0);
  return {
    id,
    topic,
    type,
    aggregateId: message.key?.toString("utf8") ?? "",
    occurredAt: occurredAt === undefined ? new Date(Number(message.timestamp)) : new Date(occurredAt),
    payload: new Uint8Array(value.buffer, value.byteOffset, value.byteLength),
    headers,
  };
}

function headerStrings(headers: IHeaders | undefined): Record<string, string> {
  const strings: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) strings[name] = first.toString();
  }
  return strings;
}
