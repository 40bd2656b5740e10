import type { IHeaders, KafkaMessage } from "kafkajs";
import type { EventEnvelope } from "./envelope.ts";

// An envelope on Kafka: key = aggregate id, value = protobuf payload, headers = id, type,
// occurred-at and the envelope's own (traceparent…).
const ID = "id";
const TYPE = "type";
const OCCURRED_AT = "occurred-at";

export function toMessage(event: EventEnvelope) {
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

export function fromMessage(topic: string, message: KafkaMessage): EventEnvelope | undefined {
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

/** Header values as strings (the first of a repeated header). */
export function headerStrings(headers: IHeaders | undefined): Record<string, string> {
  const strings: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) strings[name] = first.toString();
  }
  return strings;
}
