import type { InboxTable } from "../db/inbox-table.ts";
import type { OutboxTable } from "../db/outbox-table.ts";
import type { Database } from "../db/types.ts";
import type { Logger } from "../log/logger.ts";
import { type EventHandlers, startConsumer } from "./consumer.ts";
import type { EventBus } from "./envelope.ts";
import type { InboxRetention } from "./inbox-sweep.ts";
import { createOutbox, type Outbox } from "./outbox.ts";
import { startOutboxRelay } from "./outbox-relay.ts";

export interface ServiceEventsOptions {
  db: Database;
  bus: EventBus;
  logger: Logger;
  /** The service's outbox table: what it publishes is relayed from there. */
  outbox: OutboxTable;
  /** The consumer of the events the service reacts to, if any. */
  consumer?: {
    /** Consumer group and inbox key, e.g. "user-service". */
    name: string;
    inbox: InboxTable;
    /**
     * Handlers publish through `outbox` inside the consumer's transaction; the relay wakes when
     * that transaction commits (NOTIFY), so there is nothing to call after commit.
     */
    handlers: (outbox: Outbox) => EventHandlers;
    /** Deterministic failures before an event is dead-lettered (transient faults never count). */
    maxAttempts?: number;
    retryDelayMs?: number;
    /** Inbox rows kept this long (default 7 days), swept periodically. */
    inboxRetention?: InboxRetention;
  };
}

/** A service's side of the event flow: publishing through its outbox, and consuming. */
export interface ServiceEvents {
  outbox: Outbox;
  /** Stops consuming, then relaying. */
  stop(): Promise<void>;
}

/**
 * Starts a service's outbox relay and, when it consumes, its consumer. If the consumer cannot
 * start, the relay is stopped again before the error is thrown.
 */
export async function startServiceEvents(opts: ServiceEventsOptions): Promise<ServiceEvents> {
  const { db, bus, logger } = opts;
  const outbox = createOutbox(opts.outbox);
  const relay = startOutboxRelay({ db, table: opts.outbox, bus, logger });
  let consumer: { stop(): Promise<void> } | undefined;
  if (opts.consumer !== undefined) {
    const { handlers, ...rest } = opts.consumer;
    try {
      consumer = await startConsumer({ ...rest, db, bus, logger, handlers: handlers(outbox) });
    } catch (error) {
      await relay.stop();
      throw error;
    }
  }
  return {
    outbox,
    async stop() {
      await consumer?.stop();
      await relay.stop();
    },
  };
}
