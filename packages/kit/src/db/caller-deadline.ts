import { callEnded } from "../errors/call-ended.ts";

/**
 * Runs a transaction for the incoming call whose `signal` is given: not begun once the call has
 * ended, and rolled back (the driver rolls back when `work` throws) instead of committed when it
 * ends meanwhile; the last check is right before the driver sends COMMIT. While the transaction
 * still waits for a connection (or for PGlite's turn) an ending call is answered at once; the
 * work, should it begin later, refuses before its first statement. Errors after the end are
 * callEnded (their cause kept).
 */
export function transactionWithinCall<S, T>(
  signal: AbortSignal,
  begin: (work: (scope: S) => Promise<T>) => Promise<T>,
  work: (scope: S) => Promise<T>,
): Promise<T> {
  if (signal.aborted) return Promise.reject(callEnded(signal));
  let begun = false;
  const running = begin(async (scope) => {
    begun = true;
    if (signal.aborted) throw callEnded(signal);
    const result = await work(scope);
    if (signal.aborted) throw callEnded(signal);
    return result;
  });
  return new Promise<T>((resolve, reject) => {
    const ended = () => {
      if (!begun) reject(callEnded(signal));
    };
    signal.addEventListener("abort", ended, { once: true });
    void running
      .then(resolve, (error: unknown) => reject(signal.aborted ? callEnded(signal, error) : error))
      .finally(() => signal.removeEventListener("abort", ended));
  });
}

/** Throws CallEnded when the call `signal` belongs to has ended: no statement starts for it. */
export function refuseAfterCallEnded(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw callEnded(signal);
}
