import { faultOpName } from "../core/index.js";
import type { ScheduleStep } from "../cycle/index.js";
import { scheduleTimeline, type Schedule } from "../schedule/index.js";
import { windowOpName } from "./window-op-name.js";

/**
 * A schedule as the run loop's steps (`runNemesis`): for each start and stop in timeline order, a sleep until its
 * time, then the op (`start-<name>` / `stop-<name>` with `{ window: id }`). Sleeps are computed lazily from
 * `elapsedMs` (ms since the run started), so ops that take a while (a restart) do not push later faults back:
 * each starts at its scheduled instant, or at once when late.
 *
 * @example
 * runNemesis({ nemesis: scheduleNemesis(schedule, ctx), schedule: scheduleSteps(schedule, () => elapsed()), … });
 */
export function* scheduleSteps(schedule: Schedule, elapsedMs: () => number): Generator<ScheduleStep> {
  for (const e of scheduleTimeline(schedule)) {
    const wait = Math.round(e.at - elapsedMs());
    if (wait > 0) yield { kind: "sleep", ms: wait };
    yield {
      kind: "op",
      f: faultOpName(e.action, windowOpName(e.window)),
      value: { window: e.window.id },
    };
  }
}
