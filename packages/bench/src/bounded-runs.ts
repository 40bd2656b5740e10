/** Limits of a loop: never more than `count` runs, and none started after `deadline` (Date.now() ms). */
export interface Bounds {
  count: number;
  concurrency: number;
  deadline?: number;
}

export interface BoundedOutcome {
  /** Runs that finished without throwing. */
  completed: number;
  /** True when the deadline stopped the loop before `count` runs had started. */
  stoppedByTime: boolean;
}

/**
 * Runs `task(0)`, `task(1)`, … with at most `concurrency` in flight, until `count` have started or
 * the deadline has passed. The first error stops new starts and is thrown once the runs in flight
 * have settled.
 */
export async function runBounded(
  bounds: Bounds,
  task: (index: number) => Promise<void>,
): Promise<BoundedOutcome> {
  const concurrency = Math.max(1, Math.floor(bounds.concurrency));
  let next = 0;
  let completed = 0;
  let stoppedByTime = false;
  let failure: { error: unknown } | undefined;

  const worker = async (): Promise<void> => {
    while (failure === undefined && next < bounds.count) {
      if (bounds.deadline !== undefined && Date.now() >= bounds.deadline) {
        stoppedByTime = true;
        return;
      }
      const index = next++;
      try {
        await task(index);
        completed++;
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(bounds.count, 0)) }, worker));
  if (failure !== undefined) throw failure.error;
  return { completed, stoppedByTime };
}

/** Polls `probe` until it answers true, at most until `timeoutMs` has passed; returns whether it did. */
export async function pollUntil(
  probe: () => Promise<boolean>,
  opts: { timeoutMs: number; intervalMs: number },
): Promise<boolean> {
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    if (await probe()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(opts.intervalMs);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
