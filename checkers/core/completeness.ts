import { finalPhaseOf, hasClientOps, type FinalPhase } from "../history/final-phase.js";
import type { History } from "../history/op.js";
import type { CheckResult } from "./result.js";

/** The reason every checker gives for a history without a single client operation. */
export const NOTHING_TO_JUDGE = "the history holds no client operation: nothing to judge";

/**
 * The rule every checker applies to an incomplete history, after its own judgement (RESULTS.md "Incomplete
 * runs"): an anomaly found in what was recorded stands (`valid: false` is kept), but nothing short of a complete
 * run is `valid`:
 *
 * - a history without a client operation (empty, or a run killed before its workload began) is `unknown`;
 * - a faultline run's history without its final phase (see `finalPhaseOf`) is `unknown`, the reason saying
 *   what is missing.
 *
 * A checker's own `unknown` (out of budget, a malformed op) keeps its reason. `phase` may be passed when the checker computed it already.
 *
 * @example
 * return requireComplete(history, judge(history));
 */
export function requireComplete<D extends object>(
  history: History,
  result: CheckResult<D>,
  phase: FinalPhase = finalPhaseOf(history),
): CheckResult<D> {
  if (result.valid !== true) return result;
  if (!hasClientOps(history)) return { ...result, valid: "unknown", reason: NOTHING_TO_JUDGE };
  if (phase.kind === "missing") {
    return { ...result, valid: "unknown", reason: `${phase.reason}; what was recorded shows no anomaly` };
  }
  return result;
}
