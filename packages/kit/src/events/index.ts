export type { EventSchema } from "./catalog.ts";
export {
  type Consumer,
  type ConsumerOptions,
  type EventHandler,
  type EventHandlers,
  startConsumer,
} from "./consumer.ts";
export {
  deadLetterTopic,
  type EventBus,
  type EventEnvelope,
  type PartitionLag,
  type Subscription,
  type SubscriptionSpec,
} from "./envelope.ts";
export { createInProcessBus } from "./in-process-bus.ts";
export {
  DEFAULT_INBOX_RETENTION_MS,
  type InboxRetention,
  type InboxSweep,
  startInboxSweep,
} from "./inbox-sweep.ts";
export { createOutbox, type Outbox, type OutboxEvent } from "./outbox.ts";
export { type OutboxRelay, type OutboxRelayOptions, startOutboxRelay } from "./outbox-relay.ts";
export { type ServiceEvents, type ServiceEventsOptions, startServiceEvents } from "./service-events.ts";
