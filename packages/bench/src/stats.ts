/** The usual description of a set of samples (milliseconds, bytes, ... — whatever was measured). */
export interface Summary {
  count: number;
  min: number;
  max: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
}

/**
 * The p-th percentile (0 ≤ p ≤ 100) of samples sorted ascending, interpolating linearly between
 * the two nearest ranks (numpy's default, "type 7"): p50 of [1, 2, 3, 4] is 2.5, p100 the maximum.
 * NaN for no samples.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within 0..100, got ${p}`);
  if (sorted.length === 0) return Number.NaN;
  const rank = (p / 100) * (sorted.length - 1);
  const below = Math.floor(rank);
  const above = Math.ceil(rank);
  const low = sorted[below] as number;
  const high = sorted[above] as number;
  return low + (high - low) * (rank - below);
}

/** Summary of unsorted samples; every field NaN (count 0) when there are none. */
export function summarize(samples: readonly number[]): Summary {
  const sorted = samples.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (sorted.length === 0) {
    return {
      count: 0,
      min: Number.NaN,
      max: Number.NaN,
      mean: Number.NaN,
      p50: Number.NaN,
      p95: Number.NaN,
      p99: Number.NaN,
    };
  }
  const total = sorted.reduce((sum, value) => sum + value, 0);
  return {
    count: sorted.length,
    min: sorted[0] as number,
    max: sorted[sorted.length - 1] as number,
    mean: total / sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
  };
}

/** system ÷ baseline; NaN when either is missing or the baseline is zero. */
export function ratio(system: number, baseline: number): number {
  if (!Number.isFinite(system) || !Number.isFinite(baseline) || baseline === 0) return Number.NaN;
  return system / baseline;
}

/** Completed operations per second over a wall-clock span. */
export function throughput(completed: number, elapsedMs: number): number {
  return elapsedMs > 0 ? (completed * 1000) / elapsedMs : Number.NaN;
}

/** Wall-clock milliseconds of `run`, and its result. */
export async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await run();
  return { ms: performance.now() - started, value };
}
