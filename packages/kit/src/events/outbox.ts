import { create, type DescMessage, type MessageInitShape, toBinary } from "@bufbuild/protobuf";
import { type EventType, eventSchema, type Topic } from "@instagram/contracts/events";
import { context, SpanKind, trace } from "@opentelemetry/api";
import { newId } from "../db/ids.ts";
import type { OutboxTable } from "../db/outbox-table.ts";
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
 * Publishing = an outbox insert in the caller's transaction; the relay does the rest. A producer
 * span (child of the active one) is recorded, and its trace context stored in the row's headers,
 * so the consumers' spans continue the trace.
 */
export interface Outbox {
  publish<T extends Topic, K extends EventType<T>>(tx: Executor, event: OutboxEvent<T, K>): Promise<void>;
}

export function createOutbox(table: OutboxTable): Outbox {
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
      } catch (error) {
        recordFailure(span, error);
        throw error;
      } finally {
        span.end();
      }
    },
  };
}
