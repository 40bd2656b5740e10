/**
 * A short circuit breaker per instance: an instance that refused a connection is skipped for a
 * while (1 s, doubling on each further refusal up to `maxSkipMs`), then tried again; its first
 * answer clears it. Skipped instances stay usable as a last resort, so a call is never refused here
 * just because every instance refused once.
 */
export interface InstanceHealth {
  /** `urls` with the instances in their skip window moved to the end (order otherwise kept). */
  order(urls: string[]): string[];
  refused(url: string): void;
  answered(url: string): void;
  /** Whether `url` is in its skip window now (tests, logs). */
  skipped(url: string): boolean;
}

interface Refusals {
  count: number;
  until: number;
}

export function createInstanceHealth(opts: { skipMs?: number; maxSkipMs?: number } = {}): InstanceHealth {
  const skipMs = opts.skipMs ?? 1_000;
  const maxSkipMs = opts.maxSkipMs ?? 15_000;
  const refusals = new Map<string, Refusals>();
  const skipped = (url: string): boolean => (refusals.get(url)?.until ?? 0) > Date.now();

  return {
    order(urls) {
      if (refusals.size === 0) return urls;
      const live = urls.filter((url) => !skipped(url));
      return live.length === urls.length ? urls : [...live, ...urls.filter(skipped)];
    },
    refused(url) {
      const count = (refusals.get(url)?.count ?? 0) + 1;
      refusals.set(url, { count, until: Date.now() + Math.min(skipMs * 2 ** (count - 1), maxSkipMs) });
    },
    answered(url) {
      if (refusals.size > 0) refusals.delete(url);
    },
    skipped,
  };
}

/**
 * A connection that could not be made (refused, no route, unknown name): the request never left,
 * so trying another instance cannot repeat a side effect, whatever the method.
 */
export function neverSent(error: unknown): boolean {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 8; depth++) {
    const code: unknown = (cause as { code?: unknown }).code;
    if (
      typeof code === "string" &&
      /^(ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN)$/.test(code)
    ) {
      return true;
    }
    cause = cause.cause;
  }
  return false;
}
