import { sqlStateOf } from "./errors.ts";
import type { Database, Transaction } from "./types.ts";

// deadlock_detected, serialization_failure: the transaction did nothing and may simply run again.
const RETRYABLE = new Set(["40P01", "40001"]);

/**
 * Runs `work` in a transaction, again (up to `attempts` times in all, default 3) when Postgres
 * aborted it for a deadlock or a serialization failure. For work that locks several rows whose
 * order a concurrent cascade cannot share: a rare cycle is possible and a retry is cheap. `work`
 * must have no effect outside the transaction.
 */
export async function inTransaction<T>(
  db: Database,
  work: (tx: Transaction) => Promise<T>,
  opts: { attempts?: number } = {},
): Promise<T> {
  const attempts = Math.max(1, opts.attempts ?? 3);
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(work);
    } catch (error) {
      const state = sqlStateOf(error);
      if (attempt >= attempts || state === undefined || !RETRYABLE.has(state)) throw error;
    }
  }
}
