/** One event as it travels: what the relay sends, the bus carries and a consumer receives. */
export interface EventEnvelope {
  id: string;
  topic: string;
  type: string;
  /** Partition key: every event of one aggregate is delivered in order. */
  aggregateId: string;
  occurredAt: Date;
  /** Protobuf binary of `eventCatalog[topic][type]`. */
  payload: Uint8Array;
  /** traceparent etc. */
  headers: Record<string, string>;
}

export interface Subscription {
  close(): Promise<void>;
}

export interface SubscriptionSpec {
  /** Consumer group: each event of a topic reaches one member of every group. */
  group: string;
  topics: string[];
  /** Throwing means "not handled": the bus delivers the event again. */
  handle(event: EventEnvelope): Promise<void>;
}

export interface EventBus {
  /** Used by the outbox relay (and the consumer, for dead letters) only. */
  send(events: EventEnvelope[]): Promise<void>;
  subscribe(spec: SubscriptionSpec): Promise<Subscription>;
  /** Resolves when the bus can carry events now; throws (quickly) when it cannot. */
  ping(): Promise<void>;
  close(): Promise<void>;
  /** How many events of `topics` the group has not consumed yet, per partition (metrics). */
  lag?(group: string, topics: string[]): Promise<PartitionLag[]>;
}

export interface PartitionLag {
  topic: string;
  partition: number;
  lag: number;
}

/** The dead-letter topic of a topic. */
export function deadLetterTopic(topic: string): string {
  return `${topic}.dlq`;
}
