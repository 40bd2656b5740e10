import { Code, ConnectError } from "@connectrpc/connect";

/**
 * Field problems of a refused call travel in this error metadata entry, as JSON
 * `[{ "path", "message" }]` with paths named as in the REST body (camelCase). Connect sends error
 * metadata as response headers (trailers in gRPC); the gateway turns the list into the problem's
 * `errors`.
 */
export const FIELD_ERRORS_KEY = "x-field-errors";

/** One field problem: which field (`username`, `text`), and what is wrong with it. */
export interface FieldError {
  path: string;
  message: string;
}

/** Error metadata carrying `fieldErrors` (none when the list is empty); adds to `metadata` if given. */
export function fieldErrorMetadata(fieldErrors: readonly FieldError[], metadata = new Headers()): Headers {
  if (fieldErrors.length > 0) metadata.set(FIELD_ERRORS_KEY, JSON.stringify(fieldErrors));
  return metadata;
}

/** InvalidArgument naming the fields at fault. */
export function invalidArgument(message: string, fieldErrors: readonly FieldError[] = []): ConnectError {
  return new ConnectError(message, Code.InvalidArgument, fieldErrorMetadata(fieldErrors));
}

/** The field problems a ConnectError carries; entries that are not `{path, message}` are dropped. */
export function fieldErrorsOf(error: ConnectError): FieldError[] {
  const raw = error.metadata.get(FIELD_ERRORS_KEY);
  if (!raw) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  return parsed.flatMap((entry: unknown) => {
    if (typeof entry !== "object" || entry === null) return [];
    const { path, message } = entry as Record<string, unknown>;
    return typeof path === "string" && typeof message === "string" ? [{ path, message }] : [];
  });
}
