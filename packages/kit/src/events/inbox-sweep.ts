import { and, eq, inArray, lt } from "drizzle-orm";
import type { Logger } from "pino";
import type { InboxTable } from "../db/inbox-table.ts";
import type { Database } from "../db/types.ts";
import { inboxRowsRemovedTotal } from "../telemetry/event-metrics.ts";
import { type PeriodicSweep, startPeriodicSweep } from "./periodic-sweep.ts";

export interface InboxRetention {
  /** Rows older than this are deleted; default 7 days: longer than any redelivery can be late. */
  keepMs?: number;
  /** Time between two sweeps (the first runs at start); default 1 hour. */
  everyMs?: number;
  /** Rows deleted per statement; default 1,000 (short transactions, no long lock). */
  batchSize?: number;
}

export const DEFAULT_INBOX_RETENTION_MS = 7 * 24 * 3_600_000;

/** `sweep()` deletes one consumer's expired rows now, in batches, and resolves to how many. */
export type InboxSweep = PeriodicSweep;

/**
 * Deletes a consumer's inbox rows past the retention window, in batches, at start and then
 * periodically. A failed sweep (database away) is logged and tried again at the next period.
 */
export function startInboxSweep(opts: {
  db: Database;
  inbox: InboxTable;
  consumer: string;
  logger: Logger;
  retention?: InboxRetention;
}): InboxSweep {
  const { db, inbox, consumer, logger } = opts;
  const keepMs = opts.retention?.keepMs ?? DEFAULT_INBOX_RETENTION_MS;
  const everyMs = opts.retention?.everyMs ?? 3_600_000;
  const batchSize = Math.max(1, opts.retention?.batchSize ?? 1_000);
  return startPeriodicSweep({
    everyMs,
    logger,
    what: "inbox",
    async sweep(stopped) {
      const cutoff = new Date(Date.now() - keepMs);
      let removed = 0;
      for (;;) {
        const expired = db
          .select({ eventId: inbox.eventId })
          .from(inbox)
          .where(and(eq(inbox.consumer, consumer), lt(inbox.processedAt, cutoff)))
          .limit(batchSize);
        const deleted = await db
          .delete(inbox)
          .where(and(eq(inbox.consumer, consumer), inArray(inbox.eventId, expired)))
          .returning({ eventId: inbox.eventId });
        removed += deleted.length;
        inboxRowsRemovedTotal.inc({ consumer }, deleted.length);
        if (deleted.length < batchSize || stopped()) break;
      }
      if (removed > 0) logger.info({ removed, keepMs }, "inbox rows past retention deleted");
      return removed;
    },
  });
}
