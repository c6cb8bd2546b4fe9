/**
 * The statistics and formatting the benchmark suites' tables share. Imports nothing but `node:os`, so a suite that
 * measures its own memory (linearizable's child process) pays nothing for it. Not a suite (`run.ts` loads only
 * `*.bench.ts`).
 */
import { loadavg } from "node:os";

/** The middle sample of `xs`; of an even count, the upper of the two middle ones. */
export function median(xs: readonly number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
}

/** `n` rounded to a whole number with thousands separators (`12,345`). */
export function fmt(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

/** The 1, 5 and 15 minute load averages to one decimal, joined by `separator`. */
export function loadAverage(separator = " / "): string {
  return loadavg()
    .map((l) => l.toFixed(1))
    .join(separator);
}
