/** A seeded source of randomness, so one seed always gives one dataset. */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Uniform in [low, high). */
  between(low: number, high: number): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
  pick<T>(items: readonly T[]): T;
}

/** sfc32 seeded through splitmix32: fast, 128 bits of state, good enough for test data. */
export function createRandom(seed: number): Random {
  let s = seed >>> 0;
  const splitmix = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  const next = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return {
    next,
    int: (n) => Math.floor(next() * n),
    between: (low, high) => low + next() * (high - low),
    normal() {
      const u = 1 - next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
    },
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new RangeError("pick from no items");
      return items[Math.floor(next() * items.length)] as T;
    },
  };
}

/** Draws indices in proportion to their weights (inverse CDF, binary search). */
export interface WeightedSampler {
  draw(random: Random): number;
}

export function weightedSampler(weights: ArrayLike<number>): WeightedSampler {
  const cumulative = new Float64Array(weights.length);
  let total = 0;
  for (let i = 0; i < weights.length; i++) {
    const weight = weights[i] as number;
    if (!(weight >= 0)) throw new RangeError(`weight ${i} is ${weight}`);
    total += weight;
    cumulative[i] = total;
  }
  if (!(total > 0)) throw new RangeError("weights sum to nothing");
  return {
    draw(random) {
      const target = random.next() * total;
      let low = 0;
      let high = cumulative.length - 1;
      while (low < high) {
        const mid = (low + high) >>> 1;
        if ((cumulative[mid] as number) > target) high = mid;
        else low = mid + 1;
      }
      return low;
    },
  };
}

/** A random permutation of 0..n-1 (Fisher–Yates). */
export function shuffled(n: number, random: Random): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = random.int(i + 1);
    const swap = order[i] as number;
    order[i] = order[j] as number;
    order[j] = swap;
  }
  return order;
}

/**
 * `count` distinct indices drawn by weight, none in `exclude`. Rejection while that is cheap; when
 * most of the population is wanted, weighted keys instead (Efraimidis–Spirakis: top `count` of
 * u^(1/w)), which never loops.
 */
export function distinctDraws(
  sampler: WeightedSampler,
  weights: ArrayLike<number>,
  count: number,
  random: Random,
  exclude: number = -1,
): number[] {
  const population = weights.length - (exclude >= 0 ? 1 : 0);
  const wanted = Math.min(count, population);
  const chosen = new Set<number>();
  let attempts = 0;
  while (chosen.size < wanted && attempts < wanted * 8) {
    const index = sampler.draw(random);
    attempts++;
    if (index !== exclude) chosen.add(index);
  }
  if (chosen.size === wanted) return [...chosen];
  const keyed: [number, number][] = [];
  for (let i = 0; i < weights.length; i++) {
    if (i === exclude) continue;
    const weight = weights[i] as number;
    keyed.push([weight > 0 ? Math.log(1 - random.next()) / weight : Number.NEGATIVE_INFINITY, i]);
  }
  keyed.sort((x, y) => y[0] - x[0]);
  return keyed.slice(0, wanted).map(([, index]) => index);
}
