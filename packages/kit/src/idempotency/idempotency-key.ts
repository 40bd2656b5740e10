import { DomainError } from "../errors/domain-error.ts";

/** The request header a client sets so that a retried POST returns the first result. */
export const IDEMPOTENCY_KEY_HEADER = "idempotency-key";

/** How long a key is remembered with its result: a retry within it returns the first result. */
export const IDEMPOTENCY_KEY_RETENTION_MS = 24 * 60 * 60 * 1000;

/** 1 to 255 printable ASCII characters (space to tilde). */
const KEY_SHAPE = /^[\x20-\x7e]{1,255}$/;

/**
 * The Idempotency-Key header's value, or undefined when it is absent; a malformed key is an
 * invalid-input refusal (a 400 at the edge) rather than silently ignored.
 */
export function readIdempotencyKey(header: string | null | undefined): string | undefined {
  if (header === null || header === undefined) return undefined;
  if (!KEY_SHAPE.test(header)) {
    throw new DomainError("invalid-input", "Idempotency-Key must be 1 to 255 printable ASCII characters", {
      reason: "invalid-idempotency-key",
      fieldErrors: [{ path: "Idempotency-Key", message: "must be 1 to 255 printable ASCII characters" }],
    });
  }
  return header;
}

/** A key that comes back with a different request (another body or target): a conflict. */
export const idempotencyKeyReused = (): DomainError =>
  new DomainError("conflict", "the Idempotency-Key was used for another request", {
    reason: "idempotency-key-reused",
  });
