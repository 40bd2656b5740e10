import { type Database, type Logger, metricsRegistry } from "@instagram/kit";
import { Counter } from "prom-client";
import { deleteLoginFailuresBefore } from "../db/login-failures.ts";
import { deleteTokensExpiredBefore } from "../db/refresh-tokens.ts";
import { deleteSessionsExpiredBefore, deleteSessionsRevokedBefore } from "../db/sessions.ts";
import { type LockoutRule, windowOpenedBefore } from "../domain/login-lockout.ts";

/** Rows the sweep deleted, by table (a session's refresh tokens go with it and are not counted again). */
export const sessionRowsRemovedTotal: Counter<"table"> = new Counter({
  name: "auth_retention_rows_removed_total",
  help: "Ended sessions, expired refresh tokens and closed login-failure windows deleted by auth-service's retention sweep, by table",
  labelNames: ["table"],
  registers: [metricsRegistry],
});

export interface SessionRetention {
  /** Rows are kept this long after their session was revoked or their token expired. */
  keepSeconds: number;
  /** Time between two sweeps; the first runs at start. */
  everySeconds: number;
  /** Rows deleted per statement; default 1,000 (short transactions, no long lock). */
  batchSize?: number;
}

export interface SweepResult {
  sessions: number;
  refreshTokens: number;
}

/**
 * Deletes, in batches, what ended before `cutoff`: revoked sessions, sessions whose last refresh
 * token expired (nothing can refresh them), and expired tokens of sessions that live on.
 */
export async function sweepSessions(opts: {
  db: Database;
  cutoff: Date;
  batchSize?: number;
  /** Checked between batches: a stopping service does not finish a long sweep. */
  stopped?: () => boolean;
}): Promise<SweepResult> {
  const { db, cutoff } = opts;
  const batchSize = Math.max(1, opts.batchSize ?? 1_000);
  const inBatches = (remove: (limit: number) => Promise<number>) =>
    deleteInBatches(remove, batchSize, opts.stopped);
  const sessions =
    (await inBatches((limit) => deleteSessionsRevokedBefore(db, cutoff, limit))) +
    (await inBatches((limit) => deleteSessionsExpiredBefore(db, cutoff, limit)));
  const refreshTokens = await inBatches((limit) => deleteTokensExpiredBefore(db, cutoff, limit));
  sessionRowsRemovedTotal.inc({ table: "sessions" }, sessions);
  sessionRowsRemovedTotal.inc({ table: "refresh_tokens" }, refreshTokens);
  return { sessions, refreshTokens };
}

async function deleteInBatches(
  remove: (limit: number) => Promise<number>,
  batchSize: number,
  stopped?: () => boolean,
): Promise<number> {
  let removed = 0;
  for (;;) {
    const deleted = await remove(batchSize);
    removed += deleted;
    if (deleted < batchSize || stopped?.()) return removed;
  }
}

/** Deletes, in batches, the login-failure counts whose window is over (nothing reads them again). */
export async function sweepLoginFailures(opts: {
  db: Database;
  lockout: LockoutRule;
  now: Date;
  batchSize?: number;
  stopped?: () => boolean;
}): Promise<number> {
  const openedBefore = windowOpenedBefore(opts.lockout, opts.now);
  const removed = await deleteInBatches(
    (limit) => deleteLoginFailuresBefore(opts.db, openedBefore, limit),
    Math.max(1, opts.batchSize ?? 1_000),
    opts.stopped,
  );
  sessionRowsRemovedTotal.inc({ table: "login_failures" }, removed);
  return removed;
}

/** Stops the periodic sweep, waiting for one in progress. */
export interface SessionSweep {
  stop(): Promise<void>;
}

/** Sweeps at start and then every `everySeconds`; a failed sweep (database away) is logged and tried again at the next period. */
export function startSessionSweep(opts: {
  db: Database;
  logger: Logger;
  retention: SessionRetention;
  /** Also deletes the login-failure counts of windows that are over. */
  lockout?: LockoutRule;
  now?: () => Date;
}): SessionSweep {
  const { db, logger, retention } = opts;
  const now = opts.now ?? (() => new Date());
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let wake: (() => void) | undefined;

  async function sweep(): Promise<void> {
    const cutoff = new Date(now().getTime() - retention.keepSeconds * 1000);
    const removed = await sweepSessions({
      db,
      cutoff,
      batchSize: retention.batchSize,
      stopped: () => stopped,
    });
    if (removed.sessions + removed.refreshTokens > 0) {
      logger.info({ ...removed, cutoff }, "sessions and refresh tokens past retention deleted");
    }
    if (opts.lockout !== undefined) {
      const { lockout } = opts;
      await sweepLoginFailures({
        db,
        lockout,
        now: now(),
        batchSize: retention.batchSize,
        stopped: () => stopped,
      });
    }
  }

  const loop = (async () => {
    while (!stopped) {
      await sweep().catch((error: unknown) => {
        logger.warn({ err: error }, "session sweep failed; trying again at the next period");
      });
      if (stopped) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, retention.everySeconds * 1000);
      });
    }
  })();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      wake?.();
      await loop;
    },
  };
}
