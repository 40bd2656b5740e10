/**
 * A sleep that ends early on wake(): for poll loops and retry backoff that must stop promptly.
 * After stop(), every sleep (also one begun later) ends at once: a loop that is busy when it is
 * stopped, and only then goes to sleep, does not wait out its delay.
 */
export interface Pause {
  sleep(ms: number): Promise<void>;
  /** Ends the sleeps in progress. */
  wake(): void;
  /** Ends the sleeps in progress and every later one. */
  stop(): void;
}

export function createPause(): Pause {
  let wakers = new Set<() => void>();
  let stopped = false;
  const wake = (): void => {
    const waiting = wakers;
    wakers = new Set();
    for (const done of waiting) done();
  };
  return {
    sleep(ms) {
      if (stopped) return Promise.resolve();
      return new Promise((resolve) => {
        const done = () => {
          clearTimeout(timer);
          wakers.delete(done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        wakers.add(done);
      });
    },
    wake,
    stop() {
      stopped = true;
      wake();
    },
  };
}

/** Exponential backoff: base, 2×base, 4×base … capped. */
export function backoffMs(attempt: number, baseMs: number, capMs: number): number {
  return Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
}
