import fc from "fast-check";
import { actionArbitrary } from "./action-arbitrary.js";
import type { FaultAction } from "./catalogue.js";
import { windowConflict } from "./conflicts.js";
import { windowEnd, type FaultWindow, type Schedule } from "./fault-window.js";
import { resolveScheduleOptions, type ScheduleOptions } from "./schedule-options.js";

/** At most this many fault starts are drawn per schedule (a 24 h run at a 100 ms interval stops early). */
export const MAX_FAULT_STARTS = 4096;

/** One drawn fault before placement: the gap since the previous start, what to do and for how long. */
interface Proposal {
  readonly gap: number;
  readonly duration: number;
  readonly seed: number;
  readonly action: FaultAction;
}

/**
 * The arbitrary of fault schedules for the given options (a partial object, resolved once).
 *
 * It draws a sequence of proposals (gap uniform in [0, 2·interval], duration uniform in [min, max], an action
 * of the chosen faults, a seed for fire-time choices) and lays them out in order: each starts one gap after
 * the previous proposal's start; a proposal whose target is held by an overlapping window is skipped (its gap
 * still counts, so later faults keep their times); a fault that would run past `timeLimit − quietPeriod` is cut
 * to end there, or dropped when that leaves less than `minDuration`. So every schedule it yields satisfies
 * `checkSchedule` by construction. Enough proposals are drawn to reach the end of the run with near certainty
 * (mean count + 4 standard deviations), capped at {@link MAX_FAULT_STARTS}.
 *
 * Distributions are unbiased (`fc.noBias`), so a seeded sample follows the documented ones.
 */
export function scheduleArbitrary(options: Partial<ScheduleOptions> = {}): fc.Arbitrary<Schedule> {
  const o = resolveScheduleOptions(options);
  const horizon = o.timeLimit - o.quietPeriod;
  const action = actionArbitrary(o.faults, o.cut, o.cluster);
  const empty: Schedule = { ...bounds(o), windows: [] };
  if (action === undefined || horizon < o.minDuration) return fc.constant(empty);
  const mean = horizon / o.interval;
  const count = Math.min(MAX_FAULT_STARTS, Math.ceil(mean + 4 * Math.sqrt(mean) + 8));
  const proposal: fc.Arbitrary<Proposal> = fc.record({
    gap: fc.integer({ min: 0, max: 2 * o.interval }),
    duration: fc.integer({ min: o.minDuration, max: o.maxDuration }),
    seed: fc.integer({ min: 0, max: 0xffff_ffff }),
    action,
  });
  return fc.noBias(fc.array(proposal, { minLength: count, maxLength: count }).map((ps) => place(ps, o)));
}

function bounds(o: ScheduleOptions): Omit<Schedule, "windows"> {
  return {
    timeLimit: o.timeLimit,
    quietPeriod: o.quietPeriod,
    minDuration: o.minDuration,
    maxDuration: o.maxDuration,
  };
}

function place(proposals: readonly Proposal[], o: ScheduleOptions): Schedule {
  const horizon = o.timeLimit - o.quietPeriod;
  const placed: FaultWindow[] = [];
  let t = 0;
  for (const p of proposals) {
    t += p.gap;
    if (t + o.minDuration > horizon) break;
    const window = {
      id: `f${placed.length + 1}`,
      ...p.action,
      start: t,
      duration: Math.min(p.duration, horizon - t),
      seed: p.seed,
    } as FaultWindow;
    const active = placed.filter((w) => windowEnd(w) >= t);
    if (active.some((w) => windowConflict(w, window) !== undefined)) continue;
    placed.push(window);
  }
  return { ...bounds(o), windows: placed };
}
