import type { History } from "../../checkers/history/index.js";
import { nsToMs } from "../../checkers/core/index.js";
import { escapeHtml } from "./escape-html.js";

/** One failover as the report and `results.json` tell it (from a monitor `failover-evidence` op). */
export interface FailoverExplanation {
  /** When the monitor saw it start, in ms since the run started. */
  atMs: number;
  /** The store's number for it (an epoch or term), or `null`. */
  term: number | null;
  /** The failover manager that started it, and the leader it declared down. */
  manager: string;
  leader: string;
  /** `leader-down`, `leader-unreachable`, `link-fault`, `manager-reconnect` or `unexplained` (`FailoverCause`). */
  cause: string;
  /** True when nothing faultline did explains it: the leader was up and its link healthy (a failover nobody scheduled). */
  unscheduled: boolean;
  explanation: string;
}

/** Causes that say faultline's own fault took the leader away; any other is a failover nobody scheduled. */
const SCHEDULED_CAUSES = new Set(["leader-down", "leader-unreachable", "link-fault"]);

/**
 * Every failover the monitor explained (`f: "failover-evidence"`, see `FailoverEvidence` in `stores/`), in
 * history order, as one line each. Pure; values that do not have the evidence's shape are skipped.
 *
 * @example
 * failoverExplanations(history)[0]?.explanation; // "s1 declared n1 down (epoch 1): n1 was down (…)"
 */
export function failoverExplanations(history: History): FailoverExplanation[] {
  const out: FailoverExplanation[] = [];
  for (const op of history) {
    if (op.process !== "monitor" || op.f !== "failover-evidence") continue;
    const v = op.value as Record<string, unknown> | null;
    if (!v || typeof v !== "object") continue;
    const { manager, leader, cause, explanation, term } = v;
    if (typeof manager !== "string" || typeof leader !== "string") continue;
    if (typeof cause !== "string" || typeof explanation !== "string") continue;
    out.push({
      atMs: nsToMs(op.time),
      term: typeof term === "number" ? term : null,
      manager,
      leader,
      cause,
      unscheduled: !SCHEDULED_CAUSES.has(cause),
      explanation,
    });
  }
  return out;
}

/** The report's list of explained failovers (HTML), or a note when the monitor recorded none. */
export function renderFailoverExplanations(list: readonly FailoverExplanation[]): string {
  if (list.length === 0)
    return `<p class="note">No failover explained: the history holds no <code>failover-evidence</code> from the monitor.</p>`;
  const items = list
    .map(
      (f) =>
        `<li>${(f.atMs / 1000).toFixed(3)} s${f.unscheduled ? ` <span class="verdict v-false">unscheduled</span>` : ""} ${escapeHtml(f.explanation)}</li>`,
    )
    .join("");
  return `<ul class="failovers">${items}</ul>`;
}
