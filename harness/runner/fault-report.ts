import type { History } from "../../checkers/history/index.js";
import type { HistoryWriter } from "../../core/history/index.js";
import {
  accountFaults,
  faultShortfall,
  skippedFaultOpName,
  unstartedWindows,
} from "../../nemesis/execute/index.js";
import type { Schedule } from "../../nemesis/schedule/index.js";

/**
 * Records each window of the schedule whose start never came (the time limit or an interrupt stopped the nemesis
 * first) as a standalone `fail` event `skip-<name>` with `{ window, outcome: "skipped" }` and the reason, so
 * every scheduled fault ends in the history: applied, failed to apply, or skipped.
 *
 * @example
 * recordSkippedFaults(history, config.schedule, signal.aborted);
 */
export function recordSkippedFaults(history: HistoryWriter, schedule: Schedule, interrupted: boolean): void {
  const error = interrupted
    ? "skipped: the run was interrupted before its start"
    : "skipped: the run's time limit came before its start";
  for (const w of unstartedWindows(history.ops, schedule)) {
    history.append({
      process: "nemesis",
      type: "fail",
      f: skippedFaultOpName(w),
      value: { window: w.id, outcome: "skipped", at: w.start },
      error,
    });
  }
}

/**
 * Says on stderr what became of the scheduled faults once the main phase is over: the counts, then each failure
 * by name, time and error, and a warning when one did not run (`--require-faults` makes that run unknown, exit 2).
 * Silent for a run without faults.
 *
 * @example
 * reportFaults(history.ops, config, say);
 * // faults: 1 scheduled, 0 applied, 1 failed, 0 skipped
 * //   clock-leader (f1) at 1.97 s: EPERM: operation not permitted, mkdir '/tmp/ro/faultline-clock-shim-0'
 * // warning: 1 of 1 scheduled fault did not run: 1 failed to apply; … (--require-faults would make this run unknown, exit 2)
 */
export function reportFaults(
  history: History,
  config: { schedule: Schedule; requireFaults: boolean },
  say: (text: string) => void,
): void {
  if (config.schedule.windows.length === 0) return;
  const a = accountFaults(history, config.schedule);
  const failures = a.failures.map((f) => `\n  ${f.fault} at ${(f.time / 1e9).toFixed(2)} s: ${f.error}`);
  say(
    `faults: ${a.scheduled} scheduled, ${a.applied} applied, ${a.failed} failed, ${a.skipped} skipped${failures.join("")}`,
  );
  const shortfall = faultShortfall(a, 0);
  if (shortfall === undefined) return;
  say(
    config.requireFaults
      ? `${shortfall}: the run's verdict is unknown (--require-faults)`
      : `warning: ${shortfall}; the verdict covers only the faults that ran (--require-faults makes such a run unknown, exit 2)`,
  );
}
