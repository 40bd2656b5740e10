const FOREIGN_KEY_VIOLATION = "23503";

/** Whether an error (or its cause chain, e.g. drizzle's wrapping) is SQLSTATE 23503. */
export function isForeignKeyViolation(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && typeof current === "object" && current !== null; depth++) {
    if ((current as { code?: unknown }).code === FOREIGN_KEY_VIOLATION) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
