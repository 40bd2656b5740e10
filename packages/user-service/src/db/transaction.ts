import type { Database, Transaction } from "@instagram/kit";

/** SQLSTATE of a database error, looked for through drizzle's wrapping (error.cause chain). */
export function sqlStateOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== null && typeof current === "object"; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export const FOREIGN_KEY_VIOLATION = "23503";
// deadlock_detected, serialization_failure: the transaction did nothing and may simply run again.
const RETRYABLE = new Set(["40P01", "40001"]);

/**
 * Runs `work` in a transaction, again (up to 3 times) when Postgres aborted it for a deadlock.
 * Opposite edges lock two profile rows each; the order is fixed (addToFollowCounts) but a
 * concurrent account deletion touches many rows at once, so a retry is the cheap answer.
 */
export async function inTransaction<T>(db: Database, work: (tx: Transaction) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(work);
    } catch (error) {
      const state = sqlStateOf(error);
      if (attempt >= 3 || state === undefined || !RETRYABLE.has(state)) throw error;
    }
  }
}
