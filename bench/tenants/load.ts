/**
 * The seeded load of `containerless bench tenants`: which function each request goes to (Zipf
 * popularity) and when it is sent (Poisson arrivals, or a synthetic shape of the Azure Functions
 * 2019 trace). Pure: the same options give the same schedule, so every mode gets the same load.
 */

/** A seeded PRNG (mulberry32): small, fast and good enough for load shapes. Returns [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Exponential variate of rate `rate` (per second), in seconds. */
export function exponential(rand: () => number, rate: number): number {
  return -Math.log(1 - rand()) / rate;
}

/** Zipf weights of ranks 1..n with exponent s, normalised to sum to 1. */
export function zipfWeights(n: number, s: number): number[] {
  const w = Array.from({ length: n }, (_, i) => 1 / (i + 1) ** s);
  const sum = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / sum);
}

/** Draws an index with the given weights (summing to 1) by binary search on the cumulative sums. */
export function sampler(weights: number[]): (rand: () => number) => number {
  const cum: number[] = [];
  let acc = 0;
  for (const w of weights) cum.push((acc += w));
  return (rand) => {
    const u = rand() * acc;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid]! > u) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
}

/** A Fisher–Yates shuffle of 0..n-1: which function gets which popularity rank. */
export function permutation(n: number, rand: () => number): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [p[i], p[j]] = [p[j]!, p[i]!];
  }
  return p;
}

export interface Arrival {
  /** Seconds from the start of the run. */
  at: number;
  /** Index of the function (0..functions-1). */
  fn: number;
  /** Index of the request variant of that function (0..variants-1). */
  variant: number;
}

export interface LoadOptions {
  functions: number;
  /** Requests per second in total. */
  rate: number;
  /** Seconds. */
  duration: number;
  seed: number;
  /** Zipf exponent of popularity. */
  zipf: number;
  /** `poisson`: one Poisson process at `rate` with Zipf-chosen functions; `azure`: see azureSchedule. */
  arrivals: 'poisson' | 'azure';
  /** Request variants per function. */
  variants: number;
}

export function schedule(o: LoadOptions): Arrival[] {
  return o.arrivals === 'azure' ? azureSchedule(o) : poissonSchedule(o);
}

/** One Poisson process at `rate` requests/s; each arrival's function drawn with Zipf popularity. */
export function poissonSchedule(o: LoadOptions): Arrival[] {
  const rand = prng(o.seed);
  const rank = permutation(o.functions, rand);
  const pick = sampler(zipfWeights(o.functions, o.zipf));
  const out: Arrival[] = [];
  for (let t = exponential(rand, o.rate); t < o.duration; t += exponential(rand, o.rate)) {
    out.push({ at: t, fn: rank[pick(rand)]!, variant: Math.floor(rand() * o.variants) });
  }
  return out;
}

/**
 * A synthetic shape of the Azure Functions 2019 trace (Shahrad et al., ATC 2020), not the trace
 * itself: most functions are rare and a few very hot, and many are timer-triggered. Each function
 * gets its Zipf share of `rate`; a quarter of them (the rarer ranks, every fourth) fire as a timer
 * instead: evenly spaced bursts of 1-3 requests whose mean rate is the same share, at a random
 * phase. The others are Poisson processes of their own. The total stays about `rate`.
 */
export function azureSchedule(o: LoadOptions): Arrival[] {
  const rand = prng(o.seed);
  const rank = permutation(o.functions, rand);
  const weights = zipfWeights(o.functions, o.zipf);
  const out: Arrival[] = [];
  weights.forEach((w, r) => {
    const fn = rank[r]!;
    const fnRate = w * o.rate;
    if (r >= 4 && r % 4 === 3) {
      const burst = 1 + Math.floor(rand() * 3);
      const period = burst / fnRate;
      for (let t = rand() * period; t < o.duration; t += period) {
        for (let k = 0; k < burst; k++) out.push({ at: t + k * 0.001, fn, variant: Math.floor(rand() * o.variants) });
      }
    } else {
      for (let t = exponential(rand, fnRate); t < o.duration; t += exponential(rand, fnRate)) {
        out.push({ at: t, fn, variant: Math.floor(rand() * o.variants) });
      }
    }
  });
  return out.filter((a) => a.at < o.duration).sort((a, b) => a.at - b.at);
}
