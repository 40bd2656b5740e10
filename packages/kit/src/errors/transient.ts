import { Code, ConnectError } from "@connectrpc/connect";

// SQLSTATE classes and codes after which the same statement may well succeed a moment later.
const TRANSIENT_SQL_CLASSES = ["08", "53", "57P"]; // connection exception, insufficient resources, operator intervention
const TRANSIENT_SQL_STATES = new Set([
  "40001", // serialization_failure
  "40P01", // deadlock_detected
  "55P03", // lock_not_available
]);
// Driver and socket codes: the database or a peer could not be reached or went away mid-call.
const TRANSIENT_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
]);
const TRANSIENT_CONNECT_CODES = new Set([Code.Unavailable, Code.DeadlineExceeded]);

/**
 * A fault of the infrastructure, not of the request: the database or a peer is briefly away,
 * or Postgres aborted the transaction for a conflict. The same work may succeed when retried,
 * so it must be retried (consumers: without bound) or answered as Unavailable, never treated as
 * a bad message or a bug. Looks through the cause chain (drizzle and Connect wrap the driver's error).
 */
export function isTransientFault(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && typeof current === "object" && current !== null; depth++) {
    if (current instanceof ConnectError) return TRANSIENT_CONNECT_CODES.has(current.code);
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") {
      if (TRANSIENT_CODES.has(code) || TRANSIENT_SQL_STATES.has(code)) return true;
      if (/^[0-9A-Z]{5}$/.test(code)) return TRANSIENT_SQL_CLASSES.some((prefix) => code.startsWith(prefix));
    }
    if ((current as { retriable?: unknown }).retriable === true) return true; // kafkajs
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
