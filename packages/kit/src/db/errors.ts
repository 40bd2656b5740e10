const UNIQUE_VIOLATION = "23505";

/** Whether an error (or anything in its cause chain, e.g. drizzle's wrapping) is SQLSTATE 23505. */
export function isUniqueViolation(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && typeof current === "object" && current !== null; depth++) {
    if ((current as { code?: unknown }).code === UNIQUE_VIOLATION) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
