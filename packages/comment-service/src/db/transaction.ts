import type { Database, Transaction } from "@instagram/kit";

/** SQLSTATE of a database error, looked for through drizzle's wrapping (the cause chain). */
function sqlStateOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current !== null && typeof current === "object"; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

// deadlock_detected, serialization_failure: the transaction did nothing and may simply run again.
const RETRYABLE = new Set(["40P01", "40001"]);

/**
 * Runs `work` in a transaction, again (up to 3 times) when Postgres aborted it for a deadlock: a
 * comment locks its author then its image, the cascades lock the same rows in the same order,
 * but a cascade also deletes many comment rows, so a rare cycle is possible and a retry is cheap.
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
