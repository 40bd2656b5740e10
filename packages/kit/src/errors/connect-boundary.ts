import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import type { Logger } from "../log/logger.ts";
import { callEndedIn } from "./call-ended.ts";
import { DomainError } from "./domain-error.ts";
import { fieldErrorMetadata } from "./field-errors.ts";
import { connectCodeOfKind } from "./status.ts";
import { isTransientFault } from "./transient.ts";

/** Error metadata naming when to try again, in whole seconds; the gateway turns it into Retry-After. */
export const RETRY_AFTER_KEY = "retry-after";

/** Seconds a client is told to wait after a transient fault. */
export const TRANSIENT_RETRY_AFTER_SECONDS = 1;

/**
 * A handler's error as the ConnectError its caller receives: a DomainError becomes its code with
 * field problems (x-field-errors) and retry-after; a transient fault becomes Unavailable; anything
 * else is logged and hidden behind Internal (no SQL or paths to callers).
 */
export function toConnectError(error: unknown, logger: Logger): ConnectError {
  if (error instanceof ConnectError) return error;
  // Work stopped at the caller's deadline (or its leaving): DeadlineExceeded/Canceled, never Internal.
  const ended = callEndedIn(error);
  if (ended !== undefined) return ended;
  if (error instanceof DomainError) {
    const metadata = fieldErrorMetadata(error.fieldErrors);
    if (error.retryAfterSeconds !== undefined) metadata.set(RETRY_AFTER_KEY, String(error.retryAfterSeconds));
    return new ConnectError(error.message, connectCodeOfKind[error.kind], metadata, undefined, error);
  }
  if (isTransientFault(error)) {
    logger.warn({ err: error }, "dependency unavailable");
    const metadata = new Headers({ [RETRY_AFTER_KEY]: String(TRANSIENT_RETRY_AFTER_SECONDS) });
    return new ConnectError("a dependency is unavailable; try again shortly", Code.Unavailable, metadata);
  }
  logger.error({ err: error }, "request failed");
  return new ConnectError("internal error", Code.Internal);
}

/** The kit's one error boundary for Connect handlers: every service's routes get it first. */
export function errorBoundary(logger: Logger): Interceptor {
  return (next) => async (req) => {
    try {
      return await next(req);
    } catch (error) {
      throw toConnectError(error, logger);
    }
  };
}
