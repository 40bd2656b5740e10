import { Code, ConnectError } from "@connectrpc/connect";

/** The signal of one call with a deadline; done() when the call settles. */
export interface CallDeadline {
  signal: AbortSignal;
  /** When the call's time is up (epoch ms). */
  at: number;
  done(): void;
}

interface Pending {
  at: number;
  controller: AbortController;
  unlink: (() => void) | undefined;
}

/**
 * Call deadlines on one coarse clock: one interval timer (running only while calls are pending)
 * instead of a timer per call. A deadline fires up to `tickMs` late. The caller's own signal, if
 * any, aborts the call too.
 */
export function createDeadlineClock(tickMs = 10): { start(ms: number, caller?: AbortSignal): CallDeadline } {
  const pending = new Set<Pending>();
  let timer: ReturnType<typeof setInterval> | undefined;

  function tick(): void {
    const now = Date.now();
    for (const entry of pending) {
      if (entry.at <= now) {
        settle(entry);
        entry.controller.abort(new ConnectError("the operation timed out", Code.DeadlineExceeded));
      }
    }
  }

  function settle(entry: Pending): void {
    if (!pending.delete(entry)) return;
    entry.unlink?.();
    if (pending.size === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  }

  return {
    start(ms, caller) {
      const controller = new AbortController();
      if (caller?.aborted) {
        controller.abort(caller.reason);
        return { signal: controller.signal, at: Date.now(), done: () => {} };
      }
      const entry: Pending = { at: Date.now() + ms, controller, unlink: undefined };
      if (caller !== undefined) {
        const forward = (): void => {
          settle(entry);
          controller.abort(caller.reason);
        };
        caller.addEventListener("abort", forward, { once: true });
        entry.unlink = () => caller.removeEventListener("abort", forward);
      }
      pending.add(entry);
      if (timer === undefined) {
        timer = setInterval(tick, tickMs);
        // Deno's setInterval returns a number; Node's a Timeout that must not keep the process up.
        if (typeof timer === "object") timer.unref();
      }
      return { signal: controller.signal, at: entry.at, done: () => settle(entry) };
    },
  };
}
