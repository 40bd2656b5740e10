import { TooManyLoginAttempts } from "./errors.ts";

/**
 * Counts failed logins per login name in a sliding window; past the limit further attempts are
 * refused until the oldest failure leaves the window. Per process: with several instances the
 * effective limit is a multiple of this one, which still blunts password guessing.
 */
export interface LoginThrottle {
  /** Throws TooManyLoginAttempts when the name is locked. */
  check(key: string, now: Date): void;
  recordFailure(key: string, now: Date): void;
  reset(key: string): void;
}

export function createLoginThrottle(opts: {
  maxFailures: number;
  windowSeconds: number;
  maxTrackedNames?: number;
}): LoginThrottle {
  const windowMs = opts.windowSeconds * 1000;
  const maxTracked = opts.maxTrackedNames ?? 10_000;
  const failures = new Map<string, number[]>();

  function recent(key: string, now: Date): number[] {
    const since = now.getTime() - windowMs;
    const kept = (failures.get(key) ?? []).filter((at) => at > since);
    if (kept.length === 0) failures.delete(key);
    else failures.set(key, kept);
    return kept;
  }

  function forgetStale(now: Date): void {
    if (failures.size < maxTracked) return;
    for (const key of [...failures.keys()]) recent(key, now);
    // Still full of live entries: drop the oldest names (Map iterates in insertion order).
    for (const key of failures.keys()) {
      if (failures.size < maxTracked) break;
      failures.delete(key);
    }
  }

  return {
    check(key, now) {
      const kept = recent(key, now);
      if (kept.length < opts.maxFailures) return;
      const oldest = kept[kept.length - opts.maxFailures] ?? now.getTime();
      const retryAfterMs = oldest + windowMs - now.getTime();
      throw new TooManyLoginAttempts(Math.max(1, Math.ceil(retryAfterMs / 1000)));
    },
    recordFailure(key, now) {
      forgetStale(now);
      const kept = recent(key, now);
      kept.push(now.getTime());
      failures.set(key, kept);
    },
    reset(key) {
      failures.delete(key);
    },
  };
}
