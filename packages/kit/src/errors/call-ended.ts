import { Code, ConnectError } from "@connectrpc/connect";

// ConnectError's instanceof looks at the name and prototype only, so a subclass could not be
// told apart from any ConnectError: the errors made here are remembered instead.
const made = new WeakSet<ConnectError>();

/**
 * Work refused or stopped because the incoming call it served has ended: its deadline passed
 * (DeadlineExceeded) or its caller went away (Canceled). Nobody waits for its result, so it must
 * not start, and a transaction must not commit. The error boundary answers it as is.
 * `cause` is what the stopped work threw, if anything.
 */
export function callEnded(signal: AbortSignal, cause?: unknown): ConnectError {
  if (cause instanceof ConnectError && made.has(cause)) return cause;
  const reason: unknown = signal.reason;
  const error =
    reason instanceof ConnectError && reason.code === Code.DeadlineExceeded
      ? new ConnectError(
          "the caller's deadline has passed",
          Code.DeadlineExceeded,
          undefined,
          undefined,
          cause,
        )
      : new ConnectError("the caller went away", Code.Canceled, undefined, undefined, cause);
  made.add(error);
  return error;
}

/** The callEnded error in an error's cause chain (drizzle wraps what the driver's query threw). */
export function callEndedIn(error: unknown): ConnectError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && typeof current === "object" && current !== null; depth++) {
    if (current instanceof ConnectError && made.has(current)) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
