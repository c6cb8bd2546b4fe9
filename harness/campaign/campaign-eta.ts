/** A finished run, for the estimate: how long it took and how long its clients ran (its time limit). */
export interface FinishedRun {
  elapsedMs: number;
  timeLimitMs: number;
}

/** Before any run finished, the start, recovery and checking around a run's time limit are guessed at this. */
export const DEFAULT_OVERHEAD_MS = 12_000;

/**
 * Estimates how long the rest of a campaign takes: each remaining run costs its time limit plus the overhead the
 * finished runs showed on average (start, final phase, stop, checking); `currentElapsedMs` of the run in progress
 * counts as already spent.
 *
 * @example
 * estimateRemainingMs([{ elapsedMs: 20_000, timeLimitMs: 8_000 }], [8_000, 8_000], 5_000); // 19_000 + 20_000
 */
export function estimateRemainingMs(
  finished: readonly FinishedRun[],
  remainingTimeLimitsMs: readonly number[],
  currentElapsedMs = 0,
): number {
  const overhead =
    finished.length === 0
      ? DEFAULT_OVERHEAD_MS
      : finished.reduce((s, r) => s + Math.max(0, r.elapsedMs - r.timeLimitMs), 0) / finished.length;
  const total = remainingTimeLimitsMs.reduce((s, t) => s + t + overhead, 0);
  return Math.max(0, Math.round(total - currentElapsedMs));
}

/** `1h 02m`, `4m 05s`, `12s`. */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s >= 3600) return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
  return `${s}s`;
}
