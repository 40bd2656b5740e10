// With the other kafka-*.ts files, the only ones that import kafkajs (unmaintained since 2023):
// keep it swappable.
import { type Admin, type Consumer, Kafka, logLevel, Partitioners, type Producer } from "kafkajs";
import type { Logger } from "pino";
import {
  deadLetterTopic,
  type EventBus,
  type EventEnvelope,
  type PartitionLag,
  type Subscription,
  type SubscriptionSpec,
} from "./envelope.ts";
import { groupLag } from "./kafka-lag.ts";
import { createKafkaLog } from "./kafka-log.ts";
import { fromMessage, toMessage } from "./kafka-messages.ts";
import { KafkaNotReady, type KafkaRetryOptions, retryKafka } from "./kafka-retry.ts";
import { fixKafkaNegativeTimer } from "./kafka-timer-fix.ts";
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

/** How long creating a topic (until its leaders serve it), a send or a subscribe keeps retrying. */
const RETRY_BUDGET_MS = 30_000;
/** kafkajs's longest wait between retries, and so before a crashed consumer restarts: recovery ≤ ~1 s. */
const MAX_RETRY_TIME_MS = 1_000;
const REBALANCE_TIMEOUT_MS = 2_000;
/** How long ping() (readiness) and lag() (metrics) wait for the broker. */
const PROBE_TIMEOUT_MS = 1_500;

/**
 * EventBus over Kafka. Key = aggregate id, so one aggregate's events share a partition and stay
 * in order (see kafka-messages.ts). Topics and their "<topic>.dlq" are created on first use. A
 * consumer whose handler is slow (waiting for a dependency) keeps heartbeating; one that crashes
 * is restarted within ~1 s of the broker's return, by kafkajs or, for a crash kafkajs does not
 * restart, by the bus.
 */
export function createKafkaBus(opts: KafkaBusOptions): EventBus {
  const logger = opts.logger.child({ component: "kafka" });
  const partitions = opts.partitions ?? 3;
  const replicationFactor = opts.replicationFactor ?? 1;
  const namespace = opts.namespace ?? "";
  const onBroker = (name: string): string => namespace + name;
  const fromBroker = (name: string): string =>
    name.startsWith(namespace) ? name.slice(namespace.length) : name;
  fixKafkaNegativeTimer();
  const kafkaLog = createKafkaLog(logger);
  const kafka = new Kafka({
    clientId: opts.clientId,
    brokers: opts.brokers,
    connectionTimeout: 3_000,
    retry: { initialRetryTime: 100, maxRetryTime: MAX_RETRY_TIME_MS, retries: 8 },
    logLevel: logLevel.WARN,
    logCreator: kafkaLog.logCreator,
  });

  const consumers = new Set<Consumer>();
  /** Subscriptions whose consumer crashed and is not running yet: the bus is not ready. */
  const crashed = new Set<SubscriptionSpec>();
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
  async function runConsumer(spec: SubscriptionSpec, onDeadCrash: () => void): Promise<Consumer> {
    const consumer = kafka.consumer({
      groupId: onBroker(spec.group),
      // Quick to notice a dead member and to rebalance: tests and restarts start fast.
      sessionTimeout: 10_000,
      // How long a rebalance waits for the members it knows. A consumer restarted after a broker
      // outage joins as a new member while its old self is still listed: the join waited this
      // long for it (10 s was most of the recovery time). Members rejoin between two messages,
      // so a short wait costs nothing; one stuck waiting for its database rejoins after.
      rebalanceTimeout: REBALANCE_TIMEOUT_MS,
      heartbeatInterval: 1_000,
      maxWaitTimeInMs: 100,
      allowAutoTopicCreation: false,
      retry: { initialRetryTime: 100, maxRetryTime: MAX_RETRY_TIME_MS, retries: 10 },
    });
    consumers.add(consumer);
    consumer.on(consumer.events.FETCH, () => kafkaLog.reachable());
    consumer.on(consumer.events.GROUP_JOIN, () => {
      crashed.delete(spec);
      kafkaLog.reachable();
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      crashed.add(spec);
      // kafkajs restarts after a retriable error only; after any other, the bus does.
      if (!payload.restart && consumers.has(consumer)) onDeadCrash();
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: spec.topics.map(onBroker), fromBeginning: true });
      await consumer.run({
        partitionsConsumedConcurrently: partitions,
        eachMessage: async ({ topic, partition, message, heartbeat }) => {
          const event = fromMessage(fromBroker(topic), message);
          if (event === undefined) {
            logger.warn(
              { topic, partition, offset: message.offset },
              "kafka message without id/type, skipped",
            );
            return;
          }
          // A handler waiting for a dependency must not cost the group its member.
          const beating = setInterval(() => void heartbeat().catch(() => undefined), 1_000);
          try {
            await spec.handle(event);
          } finally {
            clearInterval(beating);
          }
        },
      });
    } catch (error) {
      consumers.delete(consumer);
      await consumer.disconnect().catch(() => undefined);
      throw error;
    }
    return consumer;
  }

  /** Runs the spec's consumer, and replaces it when it dies of a crash kafkajs does not restart. */
  async function keepConsuming(spec: SubscriptionSpec): Promise<Subscription> {
    let current: Consumer | undefined;
    let replacing: Promise<void> | undefined;
    let unsubscribed = false;
    const replace = (): void => {
      const dead = current;
      replacing = (async () => {
        if (dead !== undefined) {
          consumers.delete(dead);
          await dead.disconnect().catch(() => undefined);
        }
        while (!closed && !unsubscribed) {
          try {
            const next = await runConsumer(spec, replace);
            if (unsubscribed) {
              consumers.delete(next);
              await next.disconnect();
              return;
            }
            current = next;
            logger.info({ group: spec.group }, "kafka consumer restarted after a crash");
            return;
          } catch (error) {
            kafkaLog.outage.lost(error);
            await pause.sleep(MAX_RETRY_TIME_MS);
          }
        }
      })();
    };
    current = await retryKafka(() => runConsumer(spec, replace), retrying("subscribe"));
    return {
      async close() {
        unsubscribed = true;
        const running = current;
        current = undefined;
        crashed.delete(spec);
        await replacing;
        if (running === undefined || !consumers.delete(running)) return;
        await running.disconnect();
      },
    };
  }

  async function withinProbeTime<T>(work: Promise<T>, what: string): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`kafka: ${what} took over ${PROBE_TIMEOUT_MS} ms`)),
        PROBE_TIMEOUT_MS,
      );
    });
    work.catch(() => undefined);
    try {
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
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
      kafkaLog.reachable();
    },

    async subscribe(spec): Promise<Subscription> {
      if (closed) throw new Error("kafka bus is closed");
      await ensureTopics(spec.topics);
      return keepConsuming(spec);
    },

    async ping() {
      if (closed) throw new Error("kafka bus is closed");
      const down = [...crashed].map((spec) => spec.group);
      if (down.length > 0) throw new Error(`kafka consumer not running: ${down.join(", ")}`);
      await withinProbeTime(
        adminClient().then((client) => client.describeCluster()),
        "describe cluster",
      );
      // A bus that only publishes, and rarely, would otherwise not hear of the broker's return.
      kafkaLog.reachable();
    },

    async lag(group, topics): Promise<PartitionLag[]> {
      if (closed) return [];
      const client = await withinProbeTime(adminClient(), "admin connect");
      return withinProbeTime(groupLag(client, onBroker(group), topics.map(onBroker), fromBroker), "lag");
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
