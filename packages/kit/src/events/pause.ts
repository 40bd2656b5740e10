/** A sleep that ends early on wake(): for poll loops and retry backoff that must stop promptly. */
export interface Pause {
  sleep(ms: number): Promise<void>;
  wake(): void;
}

export function createPause(): Pause {
  let wakers = new Set<() => void>();
  return {
    sleep(ms) {
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
    wake() {
      const waiting = wakers;
      wakers = new Set();
      for (const done of waiting) done();
    },
  };
}

/** Exponential backoff: base, 2×base, 4×base … capped. */
export function backoffMs(attempt: number, baseMs: number, capMs: number): number {
  return Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
}
