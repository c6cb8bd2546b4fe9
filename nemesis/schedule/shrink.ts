import { windowConflict } from "./conflicts.js";
import { windowEnd, type FaultWindow, type Schedule } from "./fault-window.js";

/**
 * How big a schedule is, compared lexicographically: fewer windows first, then less fault time in total, then a
 * shorter run, then earlier faults. Every shrink candidate is strictly smaller than its parent by this measure,
 * so shrinking always terminates.
 */
export type ScheduleMeasure = readonly [
  windows: number,
  totalDuration: number,
  timeLimit: number,
  sumOfStarts: number,
];

/** The {@link ScheduleMeasure} of a schedule. */
export function scheduleMeasure(schedule: Schedule): ScheduleMeasure {
  const sum = (f: (w: FaultWindow) => number): number => schedule.windows.reduce((t, w) => t + f(w), 0);
  return [schedule.windows.length, sum((w) => w.duration), schedule.timeLimit, sum((w) => w.start)];
}

/** Compares two measures lexicographically: negative when `a` is smaller. */
export function compareMeasures(a: ScheduleMeasure, b: ScheduleMeasure): number {
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return 0;
}

/** Options of {@link shrinkCandidates}. */
export interface ShrinkOptions {
  /** The shortest run a candidate may have, in ms. Default 1000. */
  readonly minTimeLimit: number;
}

const DEFAULT_SHRINK_OPTIONS: ShrinkOptions = { minTimeLimit: 1000 };

/**
 * Smaller variants of a failing schedule, most promising first, for a shrinker to try against the real cluster
 * (`shrinkSearch`). Pure and deterministic. In order:
 *
 * 1. drop half of the windows (keep the first half, then the second);
 * 2. drop one window at a time;
 * 3. halve every duration at once, then one window's at a time (never below `minDuration`);
 * 4. shorten the run to just after the last fault's quiet period, then halfway there;
 * 5. move every fault earlier by the idle time before the first, then one fault at a time to half its start
 *    (skipped when that would make it fight another window).
 *
 * Every candidate keeps the schedule's invariants (`checkSchedule`) and is strictly smaller by
 * {@link scheduleMeasure}; ids are kept, so a trail of attempts shows which faults survived. No candidate is
 * proposed twice.
 */
export function shrinkCandidates(schedule: Schedule, options: Partial<ShrinkOptions> = {}): Schedule[] {
  const o = { ...DEFAULT_SHRINK_OPTIONS, ...options };
  const ws = schedule.windows;
  const n = ws.length;
  const out: Schedule[] = [];
  const withWindows = (windows: readonly FaultWindow[]): Schedule => ({ ...schedule, windows });

  // Drops: by id list, since a half can equal a one-window drop (3 windows: the second half drops the first).
  const dropped = new Set<string>();
  const drop = (windows: readonly FaultWindow[]): void => {
    const key = windows.map((w) => w.id).join("\u0000");
    if (windows.length === n || dropped.has(key)) return;
    dropped.add(key);
    out.push(withWindows(windows));
  };
  if (n >= 2) {
    const half = Math.floor(n / 2);
    drop(ws.slice(0, half));
    drop(ws.slice(half));
  }
  for (let i = 0; i < n; i++) drop(ws.filter((_, j) => j !== i));

  const halved = (w: FaultWindow): FaultWindow => ({
    ...w,
    duration: Math.max(schedule.minDuration, Math.floor(w.duration / 2)),
  });
  const shrinkable = ws.filter((w) => halved(w).duration < w.duration).length;
  // With a single shrinkable window, halving all is halving that one.
  if (shrinkable >= 2) out.push(withWindows(ws.map(halved)));
  ws.forEach((w, i) => {
    if (halved(w).duration < w.duration) out.push(withWindows(ws.map((x, j) => (j === i ? halved(x) : x))));
  });

  const lastEnd = ws.reduce((t, w) => Math.max(t, windowEnd(w)), 0);
  const tight = Math.max(o.minTimeLimit, lastEnd + schedule.quietPeriod);
  if (tight < schedule.timeLimit) {
    out.push({ ...schedule, timeLimit: tight });
    const mid = Math.floor((tight + schedule.timeLimit) / 2);
    if (mid > tight && mid < schedule.timeLimit) out.push({ ...schedule, timeLimit: mid });
  }

  const first = ws[0]?.start ?? 0;
  if (first > 0) out.push(withWindows(ws.map((w) => ({ ...w, start: w.start - first }))));
  ws.forEach((w, i) => {
    const start = Math.floor(w.start / 2);
    // With one window starting at 1 ms, moving it to half its start is the shift above.
    if (start === w.start || (n === 1 && start === 0)) return;
    const moved = { ...w, start };
    const others = ws.filter((_, j) => j !== i);
    if (others.some((x) => windowConflict(x, moved) !== undefined)) return;
    // Keep start order; a moved window goes before the others that start at the same time.
    const at = others.findIndex((x) => x.start >= start);
    const windows = at === -1 ? [...others, moved] : [...others.slice(0, at), moved, ...others.slice(at)];
    out.push(withWindows(windows));
  });

  // Each kind of candidate lowers a different part of the measure, so kinds never repeat one another.
  return out;
}
