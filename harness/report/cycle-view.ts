import type { History } from "../../checkers/history/index.js";
import { isCycleAnomaly, type ListAppendAnomaly } from "../../checkers/list-append/index.js";
import type { TypedResult } from "../../checkers/registry/index.js";
import { opMs, type ClusterTimeline } from "./cluster-timeline.js";
import { faultPhrase, seconds } from "./fault-context.js";
import { historyLookup } from "./history-lookup.js";
import { preview } from "./preview.js";

/** A dependency cycle of the list-append checker, ready to draw: its transactions and its edges. */
export interface CycleView {
  checker: string;
  kind: string;
  /** The checker's step-by-step explanation. */
  explanation: string;
  txns: {
    name: string;
    process: number;
    outcome: string;
    mops: string;
    index: number;
    ms: number | undefined;
  }[];
  steps: { from: string; to: string; type: string; explanation: string }[];
  /** Where the cycle sits among the faults. */
  context: string;
  /** Models it rules out. */
  rulesOut: string[];
}

/** Cycles drawn per checker. */
export const CYCLES_SHOWN = 12;

/**
 * Every anomaly that carries a cycle (`cycle`: the transactions, `steps`: the edges), as the list-append checker
 * reports G0, G1c, G-single, G2 and their variants.
 *
 * @example
 * cycleViews(history, typedResults(verdict.results), timeline)[0].steps[0]; // { from: "T1", to: "T2", type: "wr", … }
 */
export function cycleViews(
  history: History,
  results: readonly TypedResult[],
  tl: ClusterTimeline,
): CycleView[] {
  const lookup = historyLookup(history);
  const out: CycleView[] = [];
  for (const t of results) {
    if (t.checker !== "list-append" || t.result.valid !== false) continue;
    const cycles = (t.result.anomalies as ListAppendAnomaly[]).filter(isCycleAnomaly).slice(0, CYCLES_SHOWN);
    for (const a of cycles) {
      const txns = a.cycle.map((x) => {
        const op = lookup(x.index);
        return {
          name: x.name,
          process: x.process,
          outcome: x.outcome,
          mops: x.mops.map((m: unknown) => preview(m, 60)).join(" "),
          index: x.index,
          ms: op ? opMs(op) : undefined,
        };
      });
      const times = txns.map((x) => x.ms).filter((x): x is number => x !== undefined);
      const from = Math.min(...times);
      out.push({
        checker: t.label,
        kind: a.kind,
        explanation: a.explanation,
        txns,
        steps: a.steps.map((s) => ({ from: s.from, to: s.to, type: s.type, explanation: s.explanation })),
        context:
          times.length === 0
            ? ""
            : `These transactions completed between ${seconds(from)} and ${seconds(Math.max(...times))}, ${faultPhrase(tl, from)}.`,
        rulesOut: a.rulesOut,
      });
    }
  }
  return out;
}
