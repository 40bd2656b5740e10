/**
 * Counts events per key over a sliding time window (timestamps kept per key). Bounded: past
 * `maxKeys` the expired keys are swept and then the oldest keys dropped, so a flood of distinct
 * keys cannot grow memory without limit.
 */
export interface SlidingWindow {
  /** Seconds until one more event is allowed for the key; 0 when it is allowed now. */
  retryAfterSeconds(key: string): number;
  record(key: string): void;
  forget(key: string): void;
}

export function createSlidingWindow(opts: {
  limit: number;
  windowSeconds: number;
  now: () => number;
  maxKeys?: number;
}): SlidingWindow {
  const windowMs = opts.windowSeconds * 1000;
  const maxKeys = opts.maxKeys ?? 100_000;
  const events = new Map<string, number[]>();

  function live(key: string, now: number): number[] {
    const since = now - windowMs;
    const kept = (events.get(key) ?? []).filter((at) => at > since);
    if (kept.length === 0) events.delete(key);
    else events.set(key, kept);
    return kept;
  }

  function makeRoom(now: number): void {
    if (events.size < maxKeys) return;
    for (const key of [...events.keys()]) live(key, now);
    for (const key of events.keys()) {
      if (events.size < maxKeys) break;
      events.delete(key);
    }
  }

  return {
    retryAfterSeconds(key) {
      const now = opts.now();
      const kept = live(key, now);
      if (kept.length < opts.limit) return 0;
      // The window frees up when the event that made it full ages out.
      const blocking = kept[kept.length - opts.limit] ?? now;
      return Math.max(1, Math.ceil((blocking + windowMs - now) / 1000));
    },
    record(key) {
      const now = opts.now();
      if (!events.has(key)) makeRoom(now);
      const kept = live(key, now);
      kept.push(now);
      events.set(key, kept);
    },
    forget(key) {
      events.delete(key);
    },
  };
}
