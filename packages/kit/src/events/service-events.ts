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
     * Handlers may publish (in their transaction) through `outbox`; the relay wakes when that
     * transaction commits. `published` is kept for existing callers: calling it is not needed.
     */
    handlers: (outbox: Outbox, published: () => void) => EventHandlers;
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
  /**
   * No longer needed: a publish wakes the relay by itself when its transaction commits
   * (NOTIFY, see startOutboxRelay). Kept, harmless, as an extra nudge for existing callers.
   */
  published(): void;
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
  const published = (): void => relay.kick();
  let consumer: { stop(): Promise<void> } | undefined;
  if (opts.consumer !== undefined) {
    const { handlers, ...rest } = opts.consumer;
    try {
      consumer = await startConsumer({ ...rest, db, bus, logger, handlers: handlers(outbox, published) });
    } catch (error) {
      await relay.stop();
      throw error;
    }
  }
  return {
    outbox,
    published,
    async stop() {
      await consumer?.stop();
      await relay.stop();
    },
  };
}
