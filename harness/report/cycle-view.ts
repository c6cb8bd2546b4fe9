import type { History } from "../../checkers/history/index.js";
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
 * cycleViews(history, verdict.results, timeline)[0].steps[0]; // { from: "T1", to: "T2", type: "wr", … }
 */
export function cycleViews(
  history: History,
  results: Record<string, unknown>,
  tl: ClusterTimeline,
): CycleView[] {
  const lookup = historyLookup(history);
  const out: CycleView[] = [];
  for (const [label, raw] of Object.entries(results)) {
    const r = raw as Record<string, any> | null;
    if (!r || r.valid !== false || !Array.isArray(r.anomalies)) continue;
    let shown = 0;
    for (const a of r.anomalies as Record<string, any>[]) {
      if (!Array.isArray(a?.cycle) || !Array.isArray(a.steps) || shown >= CYCLES_SHOWN) continue;
      shown++;
      const txns = (a.cycle as Record<string, any>[]).map((t) => {
        const op = lookup(Number(t.index));
        return {
          name: String(t.name),
          process: Number(t.process),
          outcome: String(t.outcome),
          mops: (Array.isArray(t.mops) ? t.mops : []).map((m: unknown) => preview(m, 60)).join(" "),
          index: Number(t.index),
          ms: op ? opMs(op) : undefined,
        };
      });
      const times = txns.map((t) => t.ms).filter((x): x is number => x !== undefined);
      const from = Math.min(...times);
      out.push({
        checker: label,
        kind: String(a.kind),
        explanation: String(a.explanation ?? ""),
        txns,
        steps: (a.steps as Record<string, any>[]).map((s) => ({
          from: String(s.from),
          to: String(s.to),
          type: String(s.type),
          explanation: String(s.explanation),
        })),
        context:
          times.length === 0
            ? ""
            : `These transactions completed between ${seconds(from)} and ${seconds(Math.max(...times))}, ${faultPhrase(tl, from)}.`,
        rulesOut: Array.isArray(a.rulesOut) ? a.rulesOut.map(String) : [],
      });
    }
  }
  return out;
}
