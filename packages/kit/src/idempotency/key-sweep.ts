import { Counter } from "prom-client";
import { type PeriodicSweep, startPeriodicSweep } from "../events/periodic-sweep.ts";
import type { Logger } from "../log/logger.ts";
import { metricsRegistry } from "../telemetry/metrics-registry.ts";
import { IDEMPOTENCY_KEY_RETENTION_MS } from "./idempotency-key.ts";

export const idempotencyKeysForgottenTotal: Counter<"service"> = new Counter({
  name: "idempotency_keys_forgotten_total",
  help: "Idempotency keys past their retention cleared by the periodic sweep, by service",
  labelNames: ["service"],
  registers: [metricsRegistry],
});

/** `sweep()` forgets every key past the retention now, in batches, and resolves to how many. */
export type IdempotencyKeySweep = PeriodicSweep;

/**
 * Forgets the Idempotency-Keys older than their retention (24 h), in batches, at start and then
 * periodically, so the keyed rows do not keep them forever (a key older than that is already
 * dead: a retry with it makes a new row). `forget` clears the keys of at most `limit` rows made
 * before `before` and says how many. A failed sweep (database away) is logged and tried again at
 * the next period.
 */
export function startIdempotencyKeySweep(opts: {
  service: string;
  forget: (before: Date, limit: number) => Promise<number>;
  logger: Logger;
  /** Time between two sweeps; default 1 hour. */
  everyMs?: number;
  /** Rows per statement; default 1,000 (short transactions, no long lock). */
  batchSize?: number;
  now?: () => Date;
}): IdempotencyKeySweep {
  const { service, forget, logger } = opts;
  const everyMs = opts.everyMs ?? 3_600_000;
  const batchSize = Math.max(1, opts.batchSize ?? 1_000);
  const now = opts.now ?? (() => new Date());
  return startPeriodicSweep({
    everyMs,
    logger,
    what: "idempotency key",
    async sweep(stopped) {
      const before = new Date(now().getTime() - IDEMPOTENCY_KEY_RETENTION_MS);
      let forgotten = 0;
      for (;;) {
        const cleared = await forget(before, batchSize);
        forgotten += cleared;
        idempotencyKeysForgottenTotal.inc({ service }, cleared);
        if (cleared < batchSize || stopped()) break;
      }
      if (forgotten > 0) logger.info({ forgotten, before }, "idempotency keys past retention forgotten");
      return forgotten;
    },
  });
}
