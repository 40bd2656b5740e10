import { create, type DescMessage, type MessageInitShape, toBinary } from "@bufbuild/protobuf";
import { type EventType, eventSchema, type Topic } from "@instagram/contracts/events";
import { newId } from "../db/ids.ts";
import type { OutboxTable } from "../db/outbox-table.ts";
import type { Executor } from "../db/types.ts";
import type { EventSchema } from "./catalog.ts";

export interface OutboxEvent<T extends Topic, K extends EventType<T>> {
  topic: T;
  type: K;
  aggregateId: string;
  payload: MessageInitShape<EventSchema<T, K>>;
  /** e.g. traceparent */
  headers?: Record<string, string>;
}

/** Publishing = an outbox insert in the caller's transaction; the relay does the rest. */
export interface Outbox {
  publish<T extends Topic, K extends EventType<T>>(tx: Executor, event: OutboxEvent<T, K>): Promise<void>;
}

export function createOutbox(table: OutboxTable): Outbox {
  return {
    async publish(tx, event) {
      const schema = eventSchema(event.topic, event.type);
      if (schema === undefined) throw new Error(`unknown event ${event.topic}.${event.type}`);
      const message = create(schema, event.payload as MessageInitShape<DescMessage>);
      await tx.insert(table).values({
        id: newId(),
        topic: event.topic,
        type: event.type,
        aggregateId: event.aggregateId,
        payload: toBinary(schema, message),
        headers: event.headers ?? {},
        occurredAt: new Date(),
      });
    },
  };
}
