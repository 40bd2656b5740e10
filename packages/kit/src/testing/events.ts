import { create, type DescMessage, fromBinary, type MessageInitShape, toBinary } from "@bufbuild/protobuf";
import { type EventType, eventSchema, type Topic } from "@instagram/contracts/events";
import { and, asc, eq, inArray } from "drizzle-orm";
import { newId } from "../db/ids.ts";
import type { InboxTable } from "../db/inbox-table.ts";
import type { OutboxTable } from "../db/outbox-table.ts";
import type { Database } from "../db/types.ts";
import type { EventSchema } from "../events/catalog.ts";
import type { EventEnvelope } from "../events/envelope.ts";

/** An event as its publisher's relay would put it on the bus; fresh id and aggregate id unless given. */
export function testEvent<T extends Topic, K extends EventType<T>>(
  topic: T,
  type: K,
  payload: MessageInitShape<EventSchema<T, K>>,
  opts: { id?: string; aggregateId?: string; headers?: Record<string, string> } = {},
): EventEnvelope {
  const schema = knownSchema(topic, type);
  return {
    id: opts.id ?? newId(),
    topic,
    type,
    aggregateId: opts.aggregateId ?? newId(),
    occurredAt: new Date(),
    payload: toBinary(schema, create(schema, payload as MessageInitShape<DescMessage>)),
    headers: opts.headers ?? {},
  };
}

/** An outbox row with its payload decoded (a plain object, without protobuf's $typeName). */
export interface PublishedEvent {
  topic: string;
  type: string;
  aggregateId: string;
  payload: Record<string, unknown>;
}

/** What a service published (its outbox rows, sent or not), oldest first, optionally filtered. */
export async function publishedEvents(
  db: Database,
  outbox: OutboxTable,
  filter: { type?: string; aggregateIds?: string[] } = {},
): Promise<PublishedEvent[]> {
  const rows = await db
    .select()
    .from(outbox)
    .where(
      and(
        filter.type === undefined ? undefined : eq(outbox.type, filter.type),
        filter.aggregateIds === undefined ? undefined : inArray(outbox.aggregateId, filter.aggregateIds),
      ),
    )
    .orderBy(asc(outbox.seq));
  return rows.map((row) => {
    const message = fromBinary(knownSchema(row.topic, row.type), row.payload) as Record<string, unknown>;
    const { $typeName: _, ...payload } = message;
    return { topic: row.topic, type: row.type, aggregateId: row.aggregateId, payload };
  });
}

/** Waits until a consumer has applied the event with this id (its inbox row exists). */
export async function eventApplied(
  db: Database,
  inbox: InboxTable,
  eventId: string,
  opts: { timeoutMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + (opts.timeoutMs ?? 5_000);
  for (;;) {
    const rows = await db.select().from(inbox).where(eq(inbox.eventId, eventId)).limit(1);
    if (rows.length > 0) return;
    if (Date.now() > deadline) throw new Error(`event ${eventId} was not applied in time`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function knownSchema(topic: string, type: string): DescMessage {
  const schema = eventSchema(topic, type);
  if (schema === undefined) throw new Error(`unknown event ${topic}.${type}`);
  return schema;
}
