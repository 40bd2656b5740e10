import { create, type DescMessage, type MessageInitShape, toBinary } from "@bufbuild/protobuf";
import { type EventType, eventSchema, type Topic } from "@instagram/contracts/events";
import { context, SpanKind, trace } from "@opentelemetry/api";
import { sql } from "drizzle-orm";
import { PgTransaction } from "drizzle-orm/pg-core";
import { newId } from "../db/ids.ts";
import { type OutboxTable, outboxChannel } from "../db/outbox-table.ts";
import type { Executor } from "../db/types.ts";
import { kitTracer, recordFailure, traceHeaders } from "../telemetry/trace-context.ts";
import type { EventSchema } from "./catalog.ts";

export interface OutboxEvent<T extends Topic, K extends EventType<T>> {
  topic: T;
  type: K;
  aggregateId: string;
  payload: MessageInitShape<EventSchema<T, K>>;
  /** Extra headers; the active W3C trace context (traceparent) is added unless given here. */
  headers?: Record<string, string>;
}

/**
 * Publishing = an outbox insert in the caller's transaction, plus a NOTIFY on the outbox's
 * channel: Postgres delivers it when the transaction commits (and drops it on rollback), which
 * wakes the relay (of every replica) at once, whoever wrote the row: a use case or an event
 * handler inside the consumer's transaction. A producer span (child of the active one) is
 * recorded, and its trace context stored in the row's headers, so the consumers' spans continue
 * the trace.
 */
export interface Outbox {
  publish<T extends Topic, K extends EventType<T>>(tx: Executor, event: OutboxEvent<T, K>): Promise<void>;
}

export function createOutbox(table: OutboxTable): Outbox {
  const channel = outboxChannel(table);
  // One NOTIFY per transaction is enough (Postgres would fold the copies anyway): saves a round
  // trip per event when a handler publishes hundreds. A savepoint is its own PgTransaction.
  const notified = new WeakSet<Executor>();
  async function wakeRelayOnCommit(tx: Executor): Promise<void> {
    if (notified.has(tx)) return;
    await tx.execute(sql`select pg_notify(${channel}, '')`);
    if (tx instanceof PgTransaction) notified.add(tx);
  }

  return {
    async publish(tx, event) {
      const schema = eventSchema(event.topic, event.type);
      if (schema === undefined) throw new Error(`unknown event ${event.topic}.${event.type}`);
      const message = create(schema, event.payload as MessageInitShape<DescMessage>);
      const id = newId();
      const span = kitTracer().startSpan(`${event.topic} publish`, {
        kind: SpanKind.PRODUCER,
        attributes: {
          "messaging.operation.type": "create",
          "messaging.destination.name": event.topic,
          "messaging.message.id": id,
          "instagram.event.type": event.type,
        },
      });
      try {
        await tx.insert(table).values({
          id,
          topic: event.topic,
          type: event.type,
          aggregateId: event.aggregateId,
          payload: toBinary(schema, message),
          headers: { ...traceHeaders(trace.setSpan(context.active(), span)), ...event.headers },
          occurredAt: new Date(),
        });
        await wakeRelayOnCommit(tx);
      } catch (error) {
        recordFailure(span, error);
        throw error;
      } finally {
        span.end();
      }
    },
  };
}
