import type { History } from "../../checkers/history/index.js";
import { readHistory, type ParsedHistory } from "../../checkers/history/index.js";
import { worst, type ComposedResult } from "../../checkers/core/index.js";
import { prepareCheckers, runCheckers, type CheckerSpec } from "../../checkers/registry/index.js";
import { ExitCode } from "../../core/errors/index.js";
import { runCompleteness, type RunCompleteness, type RunOutcome } from "../results/index.js";
import { accountFaults, type FaultAccount } from "../../nemesis/execute/index.js";
import type { Schedule } from "../../nemesis/schedule/index.js";

/**
 * A run's verdict: the composed checker results (`valid` at best `unknown` for an incomplete run), what the
 * history file held, and whether the run is complete.
 */
export interface RunVerdict extends ComposedResult {
  history: { ops: number; incomplete: number; truncatedLine?: number };
  completeness: RunCompleteness;
  /** What became of each scheduled fault, when the run had a schedule. */
  faults?: FaultAccount;
}

/**
 * Checks a run the way `faultline check <run-dir>` will later: reads `history.jsonl` back from disk (so what is
 * judged is exactly what was recorded, and a history the reader rejects is caught here), runs the checkers the
 * run's config names through the registry, and composes them (worst wins). What the run knew of itself (`run`:
 * interrupted, how the final phase went) joins the history's own markers (`initial-heal`, `final-heal`) to judge
 * its completeness: an incomplete run is never valid (RESULTS.md "Incomplete runs"). With the run's fault
 * `schedule`, every scheduled fault is accounted for from the history (`faults`); with `run.requireFaults`, one that
 * did not run leaves the run incomplete.
 *
 * @example
 * const verdict = await checkRunHistory("store/latest/history.jsonl", [{ name: "set", options: {} }]);
 * verdict.valid; // false when acknowledged adds were lost
 */
export async function checkRunHistory(
  historyPath: string,
  checkers: readonly CheckerSpec[],
  run: RunOutcome = {},
  schedule?: Pick<Schedule, "windows">,
): Promise<{ verdict: RunVerdict; history: History }> {
  const parsed: ParsedHistory = await readHistory(historyPath);
  const prepared = prepareCheckers(checkers, (i) => `config.json checkers[${i}]`);
  const composed = runCheckers(prepared, parsed.history);
  const faults = schedule ? accountFaults(parsed.history, schedule) : undefined;
  const completeness = runCompleteness(parsed.history, { ...run, ...(faults ? { faults } : {}) });
  return {
    verdict: {
      ...composed,
      valid: worst(composed.valid, completeness.complete ? true : "unknown"),
      completeness,
      ...(faults ? { faults } : {}),
      history: {
        ops: parsed.history.length,
        incomplete: parsed.incomplete,
        ...(parsed.truncated ? { truncatedLine: parsed.truncated.line } : {}),
      },
    },
    history: parsed.history,
  };
}

/** The exit code of a validity (DESIGN.md: 0 valid, 1 invalid, 2 unknown). */
export function exitCodeOf(valid: true | false | "unknown"): number {
  return valid === true ? ExitCode.Valid : valid === false ? ExitCode.Invalid : ExitCode.Unknown;
}
