import type { History, Op } from "./op.js";

/**
 * The nemesis op every faultline run records before its first client operation (`harness/runner/initial-heal.ts`):
 * its presence says the history was recorded by a faultline run, which has a final phase.
 */
export const RUN_START_F = "initial-heal";

/**
 * The nemesis op that opens a faultline run's final phase (`harness/runner/final-phase.ts`): its `ok` completion
 * says every fault was healed and verified; the final reads are the client ops invoked after it.
 */
export const FINAL_PHASE_F = "final-heal";

/**
 * Where a history's final phase stands:
 *
 * - `recorded`: a faultline run's history with its final phase: client ops invoked after the `final-heal` `ok`
 *   (at index `from`) belong to it, and only those can be final reads;
 * - `missing`: a faultline run's history (it records `initial-heal`) without a healed final phase (the run was
 *   interrupted, the harness died, or the heal failed); `reason` says what is missing;
 * - `unmarked`: a history not recorded by a faultline run (imported from Jepsen, written by hand): it carries no
 *   phase markers, and Jepsen's rule applies (the last successful read is the final read).
 */
export type FinalPhase =
  { kind: "recorded"; from: number } | { kind: "missing"; reason: string } | { kind: "unmarked" };

const isNemesis = (o: Op, f: string): boolean => o.process === "nemesis" && o.f === f;

/**
 * Finds a history's final phase (see {@link FinalPhase}): one pass, no allocation per op.
 *
 * @example
 * const phase = finalPhaseOf(history);
 * if (phase.kind === "missing") return { valid: "unknown", reason: phase.reason };
 */
export function finalPhaseOf(history: History): FinalPhase {
  let started = false;
  let healFailed: Op | undefined;
  let healInvoked = false;
  for (const o of history) {
    if (o.process !== "nemesis") continue;
    if (isNemesis(o, RUN_START_F)) started = true;
    else if (isNemesis(o, FINAL_PHASE_F)) {
      if (o.type === "ok") return { kind: "recorded", from: o.index };
      if (o.type === "invoke") healInvoked = true;
      else healFailed = o;
    }
  }
  if (!started) return { kind: "unmarked" };
  if (healFailed) {
    return {
      kind: "missing",
      reason: `the run's final phase never began: its ${FINAL_PHASE_F} (op ${healFailed.index}) did not heal the cluster${healFailed.error ? ` (${healFailed.error})` : ""}`,
    };
  }
  return {
    kind: "missing",
    reason: healInvoked
      ? `the run's final phase never began: its ${FINAL_PHASE_F} never completed (the run was interrupted or the harness died while healing)`
      : `the history has no final phase (no ${FINAL_PHASE_F} op): the run was interrupted or the harness died before its final reads`,
  };
}

/**
 * True when `op` (an invoke's index) belongs to the final phase, or when the history has no phase markers
 * (`unmarked`: every op may be judged as a final read there).
 */
export function inFinalPhase(phase: FinalPhase, invokeIndex: number): boolean {
  return phase.kind === "unmarked" || (phase.kind === "recorded" && invokeIndex > phase.from);
}

/** True when the history holds at least one client operation (an op of an integer process). */
export function hasClientOps(history: History): boolean {
  for (const o of history) if (typeof o.process === "number") return true;
  return false;
}
