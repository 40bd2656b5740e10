import { and, asc, inArray, isNotNull, isNull, lt, sql } from "drizzle-orm";
import { getTableConfig } from "drizzle-orm/pg-core";
import type { Logger } from "pino";
import { type Notifications, notificationsOf, type Unlisten } from "../db/notifications.ts";
import { type OutboxTable, outboxChannel } from "../db/outbox-table.ts";
import { rowsOf } from "../db/rows.ts";
import type { Database } from "../db/types.ts";
import { isTransientFault } from "../errors/transient.ts";
import { collectOutboxBacklog } from "../telemetry/event-metrics.ts";
import type { EventBus, EventEnvelope } from "./envelope.ts";
import { createOutageLog } from "./outage-log.ts";
import { backoffMs, createPause } from "./pause.ts";

export interface OutboxRelay {
  /**
   * Look at the outbox now. Not needed after a publish: its NOTIFY wakes the relay on commit.
   * A harmless extra nudge (e.g. for a database without LISTEN).
   */
  kick(): void;
  /** Stops polling; waits for the batch in flight. */
  stop(): Promise<void>;
}

export interface OutboxRelayOptions {
  db: Database;
  table: OutboxTable;
  bus: EventBus;
  logger: Logger;
  /** How often to look while nothing can wake the relay (no LISTEN, or LISTEN lost); default 250 ms. */
  pollIntervalMs?: number;
  /**
   * How often to look anyway while LISTEN is in place, for a row that came without a NOTIFY;
   * default 10 s.
   */
  fallbackPollIntervalMs?: number;
  /**
   * After a batch during which more commits woke it, wait this long before the next one, so a
   * stream of commits goes out in batches rather than one relay transaction each; default 20 ms.
   */
  gatherMs?: number;
  /** What wakes the relay on commit; default the LISTEN of the connector that made `db`; false: poll only. */
  notifications?: Notifications | false;
  batchSize?: number;
  /** How often sent rows older than `keepSentMs` are deleted. */
  cleanupIntervalMs?: number;
  keepSentMs?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Moves outbox rows to the bus in `seq` order and marks them sent. It sleeps until a NOTIFY on
 * the outbox's channel (sent by every publish, delivered on commit) wakes it, looking anyway
 * every `fallbackPollIntervalMs`; while LISTEN is unavailable or lost it polls every
 * `pollIntervalMs`, and looks at once when LISTEN is back (what was notified meanwhile was
 * missed): a database briefly away costs latency, never events. Each batch runs in one
 * transaction holding a transaction-level advisory lock named after the schema, so of several
 * replicas only one relays at a time (which keeps one aggregate's events in order) and a crash
 * releases the lock. A failed send rolls the batch back: the rows stay and go out later.
 */
export function startOutboxRelay(opts: OutboxRelayOptions): OutboxRelay {
  const { db, table, bus } = opts;
  const logger = opts.logger.child({ component: "outbox-relay" });
  const pollIntervalMs = opts.pollIntervalMs ?? 250;
  const fallbackPollIntervalMs = opts.fallbackPollIntervalMs ?? 10_000;
  const gatherMs = opts.gatherMs ?? 20;
  const notifications =
    opts.notifications === false ? undefined : (opts.notifications ?? notificationsOf(db));
  const batchSize = opts.batchSize ?? 100;
  const cleanupIntervalMs = opts.cleanupIntervalMs ?? 10 * 60 * 1000;
  const keepSentMs = opts.keepSentMs ?? DAY_MS;
  const lockName = `outbox-relay:${getTableConfig(table).schema ?? "public"}`;

  const idle = createPause();
  const backoff = createPause();
  const gather = createPause();
  let stopped = false;
  let kicked = false;
  const outage = createOutageLog(logger, {
    lost: "outbox relay: database or bus unavailable, rows kept, retrying until they answer",
    recovered: "outbox relay: relaying again",
  });
  const schema = getTableConfig(table).schema ?? "public";
  const unregisterBacklog = collectOutboxBacklog(async () => {
    const [row] = rowsOf(
      await db.execute(sql`select count(*)::int as unsent from ${table} where ${table.sentAt} is null`),
    );
    return [{ labels: { outbox: schema }, value: Number(row?.unsent ?? 0) }];
  });
  let failures = 0;
  let lastCleanup = 0;
  let listening = false;

  function kick(): void {
    kicked = true;
    idle.wake();
  }

  const unlistening: Promise<Unlisten | undefined> =
    notifications === undefined
      ? Promise.resolve(undefined)
      : notifications
          .listen(outboxChannel(table), {
            notified: kick,
            listening(live) {
              if (live !== listening) logger.info({ listening: live }, "outbox relay: LISTEN");
              listening = live;
              // Back: catch up on what was committed meanwhile. Lost: go to the short interval now.
              if (live) kick();
              else idle.wake();
            },
          })
          .catch((error: unknown) => {
            logger.warn({ err: error }, "outbox relay: cannot LISTEN, polling");
            return undefined;
          });

  async function relayBatch(): Promise<number> {
    return db.transaction(async (tx) => {
      const [lock] = rowsOf(
        await tx.execute(sql`select pg_try_advisory_xact_lock(hashtext(${lockName})) as locked`),
      );
      if (lock?.locked !== true) return 0;
      const rows = await tx
        .select()
        .from(table)
        .where(isNull(table.sentAt))
        .orderBy(asc(table.seq))
        .limit(batchSize);
      if (rows.length === 0) return 0;
      await bus.send(
        rows.map(
          (row): EventEnvelope => ({
            id: row.id,
            topic: row.topic,
            type: row.type,
            aggregateId: row.aggregateId,
            occurredAt: row.occurredAt,
            payload: row.payload,
            headers: row.headers,
          }),
        ),
      );
      await tx
        .update(table)
        .set({ sentAt: sql`now()` })
        .where(
          inArray(
            table.seq,
            rows.map((row) => row.seq),
          ),
        );
      return rows.length;
    });
  }

  async function deleteOldSent(): Promise<void> {
    const cutoff = new Date(Date.now() - keepSentMs);
    await db.delete(table).where(and(isNotNull(table.sentAt), lt(table.sentAt, cutoff)));
  }

  const running = (async () => {
    while (!stopped) {
      kicked = false;
      if (Date.now() - lastCleanup >= cleanupIntervalMs) {
        lastCleanup = Date.now();
        await deleteOldSent().catch((error: unknown) => {
          logger.warn({ err: error }, "outbox relay: cleanup of sent rows failed");
        });
      }
      let sent: number;
      try {
        sent = await relayBatch();
        if (failures > 0 && !outage.down) logger.info({ failures }, "outbox relay recovered");
        outage.recovered();
        failures = 0;
      } catch (error) {
        failures++;
        // Database or bus away: one line per outage, and back within ~1 s of its return.
        if (isTransientFault(error)) {
          outage.lost(error);
          await backoff.sleep(backoffMs(failures, pollIntervalMs, 1_000));
          continue;
        }
        logger.warn({ err: error, failures }, "outbox relay: batch failed, rows kept for retry");
        await backoff.sleep(backoffMs(failures, pollIntervalMs, 10_000));
        continue;
      }
      if (sent === batchSize) continue;
      if (kicked) {
        await gather.sleep(gatherMs);
        continue;
      }
      await idle.sleep(listening ? fallbackPollIntervalMs : pollIntervalMs);
    }
  })();

  return {
    kick,
    async stop() {
      stopped = true;
      unregisterBacklog();
      idle.stop();
      backoff.stop();
      gather.stop();
      await running;
      await (await unlistening)?.();
    },
  };
}
