import type { FieldError } from "./field-errors.ts";

/**
 * What kind of refusal an error is; the one vocabulary every service's rules use. The kit maps
 * each kind once to a Connect code (between services) and an HTTP status (at the edge).
 */
export type ProblemKind =
  | "invalid-input"
  | "unauthenticated"
  | "forbidden"
  | "not-found"
  | "conflict"
  | "too-large"
  | "unsupported-media-type"
  | "too-many-requests"
  | "unavailable";

export interface DomainErrorOptions {
  /** The fields at fault, named as in the REST body (camelCase, dotted). */
  fieldErrors?: readonly FieldError[];
  /** For too-many-requests and unavailable: when to try again. */
  retryAfterSeconds?: number;
  /** A finer name than `kind` for tests and logs, e.g. "username-taken". */
  reason?: string;
  cause?: unknown;
}

/**
 * A refusal by a product rule: the caller's input, rights or timing, never a fault of the server.
 * Its message is written for the caller. Services throw it (or a subclass) from use cases and rules.
 */
export class DomainError extends Error {
  readonly kind: ProblemKind;
  readonly reason: string;
  readonly fieldErrors: readonly FieldError[];
  readonly retryAfterSeconds: number | undefined;

  constructor(kind: ProblemKind, message: string, opts: DomainErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.kind = kind;
    this.reason = opts.reason ?? kind;
    this.fieldErrors = opts.fieldErrors ?? [];
    this.retryAfterSeconds = opts.retryAfterSeconds;
  }
}

/** Whether `error` is a DomainError (of `kind`, when given). */
export function isDomainError(error: unknown, kind?: ProblemKind): error is DomainError {
  return error instanceof DomainError && (kind === undefined || error.kind === kind);
}

/** invalid-input naming each field at fault; the message lists them. */
export function invalidInput(fieldErrors: readonly FieldError[], reason?: string): DomainError {
  const message = fieldErrors.map((e) => `${e.path}: ${e.message}`).join("; ") || "the input is not valid";
  return new DomainError("invalid-input", message, { fieldErrors, reason });
}

/** invalid-input for one field. */
export function invalidField(path: string, message: string, reason?: string): DomainError {
  return invalidInput([{ path, message }], reason);
}
