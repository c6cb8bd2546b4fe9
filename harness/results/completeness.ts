import { finalPhaseOf, hasClientOps, type FinalPhase, type History } from "../../checkers/history/index.js";
import { faultShortfall, type FaultAccount } from "../../nemesis/execute/index.js";

/** What the run knew of itself, beyond its history (from `faultline run`, kept in `results.json`). */
export interface RunOutcome {
  /** The run was stopped (Ctrl-C) before its end. */
  interrupted?: boolean;
  /** How the final phase went, or `null` when it never ran (interrupted, or an error stopped the run first). */
  final?: { leader?: string; readsDone: boolean; error?: string } | null;
  /** What became of each scheduled fault (`accountFaults`). */
  faults?: FaultAccount;
  /** `--require-faults`: a scheduled fault that did not run (failed or skipped) makes the run incomplete. */
  requireFaults?: boolean;
}

/**
 * Whether a run is complete: every phase it needs recorded (RESULTS.md "Incomplete runs"). An incomplete run is
 * never valid: its composed verdict is at best `unknown`.
 */
export interface RunCompleteness {
  /** True when nothing the verdict needs is missing. */
  complete: boolean;
  /**
   * The history's final phase: `recorded` (its `final-heal` op), `missing` (a faultline run's history without it)
   * or `unmarked` (a history not recorded by faultline, e.g. imported from Jepsen: judged by Jepsen's rules).
   */
  finalPhase: FinalPhase["kind"];
  /** What is missing, one sentence each (empty when complete). */
  missing: string[];
}

/**
 * Judges a run's completeness from its history and what the run recorded of itself (`interrupted`, `final`, and
 * with `requireFaults` the account of its `faults`: one that did not run leaves the run incomplete).
 * A last line cut short by a crashed writer is not, by itself, missing: what the history holds says whether the
 * final phase was reached.
 *
 * @example
 * runCompleteness([], {}); // { complete: false, finalPhase: "unmarked", missing: ["the history holds no client operation"] }
 */
export function runCompleteness(history: History, run: RunOutcome = {}): RunCompleteness {
  const phase = finalPhaseOf(history);
  const missing: string[] = [];
  if (!hasClientOps(history)) {
    missing.push(history.length === 0 ? "the history is empty" : "the history holds no client operation");
  }
  if (phase.kind === "missing") missing.push(phase.reason);
  if (run.interrupted === true) missing.push("the run was interrupted (Ctrl-C) before its end");
  if (run.final && !run.final.readsDone) {
    missing.push(`the final reads did not succeed${run.final.error ? ` (${run.final.error})` : ""}`);
  }
  const shortfall = run.requireFaults === true && run.faults ? faultShortfall(run.faults) : undefined;
  if (shortfall) missing.push(`${shortfall}, and the run requires every fault (--require-faults)`);
  return { complete: missing.length === 0, finalPhase: phase.kind, missing };
}
