import { faultOpName } from "../core/index.js";

/** One step of a nemesis schedule: wait, or invoke a nemesis op. */
export type ScheduleStep = { kind: "sleep"; ms: number } | { kind: "op"; f: string; value?: unknown };

/** A nemesis schedule: steps, in order, possibly endless (the run loop stops at its time limit). */
export type Schedule = Iterable<ScheduleStep>;

/**
 * Cycles one fault: wait `intervalMs`, start it, wait `durationMs`, stop it, and again — Jepsen's
 * `(cycle [(sleep i) start (sleep d) stop])`.
 *
 * @example
 * const steps = [...take(cycleSchedule({ fault: "kill-leader", intervalMs: 3000, durationMs: 4000 }), 4)];
 * // sleep 3000, start-kill-leader, sleep 4000, stop-kill-leader
 */
export function* cycleSchedule(options: {
  fault: string;
  intervalMs: number;
  durationMs: number;
}): Generator<ScheduleStep> {
  for (;;) {
    yield { kind: "sleep", ms: options.intervalMs };
    yield { kind: "op", f: faultOpName("start", options.fault) };
    yield { kind: "sleep", ms: options.durationMs };
    yield { kind: "op", f: faultOpName("stop", options.fault) };
  }
}

/** The first `n` steps of a schedule. */
export function* take(schedule: Schedule, n: number): Generator<ScheduleStep> {
  if (n <= 0) return;
  let i = 0;
  for (const step of schedule) {
    yield step;
    if (++i >= n) return;
  }
}
