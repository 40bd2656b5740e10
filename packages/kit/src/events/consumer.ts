import { type DescMessage, fromBinary, type MessageShape } from "@bufbuild/protobuf";
import { type EventType, eventSchema, type Topic } from "@instagram/contracts/events";
import { context, type Span, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import type { Logger } from "pino";
import type { InboxTable } from "../db/inbox-table.ts";
import type { Database, Transaction } from "../db/types.ts";
import { isTransientFault } from "../errors/transient.ts";
import { collectConsumerLag, consumerRetriesTotal, deadLettersTotal } from "../telemetry/event-metrics.ts";
import { contextFromHeaders, kitTracer, recordFailure } from "../telemetry/trace-context.ts";
import type { EventSchema } from "./catalog.ts";
import { deadLetterTopic, type EventBus, type EventEnvelope } from "./envelope.ts";
import { type InboxRetention, startInboxSweep } from "./inbox-sweep.ts";
import { createOutageLog } from "./outage-log.ts";
import { backoffMs, createPause } from "./pause.ts";

export type EventHandler<T extends Topic, K extends EventType<T>> = (
  tx: Transaction,
  payload: MessageShape<EventSchema<T, K>>,
  event: EventEnvelope,
) => Promise<void>;

export type EventHandlers = { [T in Topic]?: { [K in EventType<T>]?: EventHandler<T, K> } };

export interface ConsumerOptions {
  /** Consumer group and inbox key, e.g. "user-service". */
  name: string;
  db: Database;
  inbox: InboxTable;
  bus: EventBus;
  handlers: EventHandlers;
  logger: Logger;
  /** Deterministic failures before the event goes to "<topic>.dlq"; default 5. */
  maxAttempts?: number;
  /** First retry delay, doubled per attempt (capped at 5 s; 1 s for transient faults); default 200 ms. */
  retryDelayMs?: number;
  /** Longest wait between two attempts while a dependency is away; default 1 s. */
  transientRetryCapMs?: number;
  /** How long inbox rows are kept, and how often the sweep runs; defaults: 7 days, hourly. */
  inboxRetention?: InboxRetention;
}

export interface Consumer {
  stop(): Promise<void>;
}

type AnyEventHandler = (tx: Transaction, payload: unknown, event: EventEnvelope) => Promise<void>;

class ConsumerStopped extends Error {}

/**
 * Subscribes `handlers` to the bus as group `name`. Each event is applied in ONE transaction
 * with its inbox row (consumer, event id), so a redelivery changes nothing. Unknown topics and
 * types are skipped (forward compatible). A handler failing on a transient fault (database or peer
 * away, see isTransientFault) is retried without bound: the partition waits, in order, and nothing
 * is lost. Any other failure is retried with backoff; after `maxAttempts` of them the event goes
 * to "<topic>.dlq" with headers `error` and `failed-consumer`. Handling runs in a consumer span,
 * child of the trace context in the event's headers. Inbox rows past the retention are swept.
 */
export async function startConsumer(opts: ConsumerOptions): Promise<Consumer> {
  const { name, db, inbox, bus } = opts;
  const logger = opts.logger.child({ component: "consumer", consumer: name });
  const maxAttempts = Math.max(1, opts.maxAttempts ?? 5);
  const retryDelayMs = opts.retryDelayMs ?? 200;
  const transientCapMs = Math.max(retryDelayMs, opts.transientRetryCapMs ?? 1_000);
  const handlers = opts.handlers as Record<string, Record<string, AnyEventHandler | undefined> | undefined>;
  const topics = Object.keys(handlers).filter((topic) => Object.keys(handlers[topic] ?? {}).length > 0);
  const pause = createPause();
  const outage = createOutageLog(logger);
  let stopped = false;

  async function apply(handler: AnyEventHandler, payload: unknown, event: EventEnvelope): Promise<void> {
    await db.transaction(async (tx) => {
      const fresh = await tx
        .insert(inbox)
        .values({ consumer: name, eventId: event.id })
        .onConflictDoNothing()
        .returning({ eventId: inbox.eventId });
      if (fresh.length === 0) return;
      await handler(tx, payload, event);
    });
  }

  async function deadLetter(event: EventEnvelope, error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    deadLettersTotal.inc({ consumer: name, topic: event.topic });
    logger.error(
      { err: error, eventId: event.id, topic: event.topic, type: event.type },
      "event dead-lettered",
    );
    await bus.send([
      {
        ...event,
        topic: deadLetterTopic(event.topic),
        headers: { ...event.headers, error: message.slice(0, 1000), "failed-consumer": name },
      },
    ]);
  }

  async function handle(event: EventEnvelope): Promise<void> {
    const handler = handlers[event.topic]?.[event.type];
    const schema = eventSchema(event.topic, event.type);
    if (handler === undefined || schema === undefined) {
      logger.debug({ topic: event.topic, type: event.type }, "no handler for event, skipped");
      return;
    }
    const parent = contextFromHeaders(event.headers);
    const span = kitTracer().startSpan(
      `${event.topic} process`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          "messaging.operation.type": "process",
          "messaging.destination.name": event.topic,
          "messaging.message.id": event.id,
          "messaging.consumer.group.name": name,
          "instagram.event.type": event.type,
        },
      },
      parent,
    );
    try {
      await context.with(trace.setSpan(parent, span), () => processEvent(event, handler, schema, span));
    } catch (error) {
      recordFailure(span, error);
      throw error;
    } finally {
      span.end();
    }
  }

  async function processEvent(
    event: EventEnvelope,
    handler: AnyEventHandler,
    schema: DescMessage,
    span: Span,
  ): Promise<void> {
    let payload: unknown;
    try {
      payload = fromBinary(schema, event.payload);
    } catch (error) {
      // Bytes that do not decode never will: no point retrying.
      span.setStatus({ code: SpanStatusCode.ERROR, message: "undecodable payload, dead-lettered" });
      await deadLetter(event, error);
      return;
    }
    let failures = 0;
    let transientFaults = 0;
    for (;;) {
      if (stopped) throw new ConsumerStopped(`consumer ${name} stopped`);
      try {
        await apply(handler, payload, event);
        outage.recovered();
        return;
      } catch (error) {
        if (stopped) throw new ConsumerStopped(`consumer ${name} stopped`);
        const message = error instanceof Error ? error.message : String(error);
        if (isTransientFault(error)) {
          // Not the message's fault: wait for the dependency, however long it takes.
          transientFaults++;
          consumerRetriesTotal.inc({ consumer: name, topic: event.topic, kind: "transient" });
          outage.lost(error);
          if (transientFaults === 1) span.addEvent("transient fault", { "exception.message": message });
          await pause.sleep(backoffMs(transientFaults, retryDelayMs, transientCapMs));
          continue;
        }
        failures++;
        if (failures >= maxAttempts) {
          recordFailure(span, error);
          await deadLetter(event, error);
          return;
        }
        consumerRetriesTotal.inc({ consumer: name, topic: event.topic, kind: "deterministic" });
        span.addEvent("retry", { attempt: failures, "exception.message": message });
        if (failures === 1)
          logger.warn(
            { err: error, eventId: event.id, topic: event.topic },
            "event handler failed, retrying",
          );
        await pause.sleep(backoffMs(failures, retryDelayMs, 5_000));
      }
    }
  }

  if (topics.length === 0) {
    logger.warn("consumer has no handlers, not subscribing");
    return { stop: async () => {} };
  }
  const subscription = await bus.subscribe({ group: name, topics, handle });
  const sweep = startInboxSweep({ db, inbox, consumer: name, logger, retention: opts.inboxRetention });
  const lag = bus.lag;
  const unregisterLag =
    lag === undefined
      ? () => {}
      : collectConsumerLag(async () =>
          (await lag.call(bus, name, topics)).map(({ topic, partition, lag }) => ({
            labels: { consumer: name, topic, partition: String(partition) },
            value: lag,
          })),
        );
  logger.info({ topics }, "consumer started");
  return {
    async stop() {
      stopped = true;
      pause.stop();
      unregisterLag();
      await sweep.stop();
      await subscription.close();
    },
  };
}
