import fc from "fast-check";
import type { Schedule } from "./fault-window.js";
import { scheduleArbitrary } from "./schedule-arbitrary.js";
import type { ScheduleOptions } from "./schedule-options.js";

/**
 * The fault schedule of a run: one sample of {@link scheduleArbitrary} drawn with the run's seed, so the same
 * seed and options always give the same schedule. The schedule is then stored in `config.json` and replayed
 * from there, not regenerated, so a replay does not depend on this generator (or fast-check) staying the same.
 *
 * @example
 * const schedule = generateSchedule({ faults: ["partition", "kill"], interval: 10_000, timeLimit: 60_000 }, 42);
 * describeSchedule(schedule);
 */
export function generateSchedule(options: Partial<ScheduleOptions>, seed: number): Schedule {
  const [schedule] = fc.sample(scheduleArbitrary(options), { seed, numRuns: 1 });
  return schedule as Schedule;
}
