/** Summary of a distribution: count and the usual quantiles (nearest-rank), all `null` when there is no sample. */
export interface Quantiles {
  count: number;
  min: number | null;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  max: number | null;
}

/**
 * Nearest-rank quantiles (the smallest sample with at least q of the samples at or below it) of `samples`, which
 * it sorts in place (pass a copy to keep the order).
 *
 * @example
 * quantiles([5, 1, 3]); // { count: 3, min: 1, p50: 3, p90: 5, p99: 5, max: 5 }
 */
export function quantiles(samples: number[] | Float64Array): Quantiles {
  const n = samples.length;
  if (n === 0) return { count: 0, min: null, p50: null, p90: null, p99: null, max: null };
  const sorted = samples instanceof Float64Array ? samples.sort() : samples.sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.max(0, Math.ceil(q * n) - 1)];
  return { count: n, min: sorted[0], p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted[n - 1] };
}

/** Nanoseconds to milliseconds, rounded to the microsecond (history times are nanoseconds, reports use ms). */
export function nsToMs(ns: number): number {
  return Math.round(ns / 1000) / 1000;
}
