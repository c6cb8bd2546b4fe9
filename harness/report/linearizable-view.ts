import { nsToMs, type Validity } from "../../checkers/core/index.js";
import type { OpSummary } from "../../checkers/linearizable/index.js";
import type { TypedResult } from "../../checkers/registry/index.js";
import type { ClusterTimeline } from "./cluster-timeline.js";
import { faultPhrase } from "./fault-context.js";

/** One op of a linearizability counterexample, as the report shows it (times in ms). */
export interface LinearOp {
  index: number;
  process: number;
  description: string;
  type: "ok" | "info" | "fail";
  invokeMs: number;
  /** `null` when it never returned. */
  completeMs: number | null;
}

/** The per-key view of one linearizability result. */
export interface LinearizableView {
  checker: string;
  model: string;
  valid: true | false | "unknown";
  keyCount: number;
  /** Keys checked, the invalid and unknown ones first, at most {@link KEYS_SHOWN}. */
  keys: { key: string; valid: true | false | "unknown"; ops: number }[];
  keysLeftOut: number;
  counterexample:
    | {
        key: string;
        initialState: string;
        /** Steps of the longest linearizable prefix; `null` if the search that rebuilds it ran out of time. */
        prefixLength: number | null;
        /** Its last {@link PREFIX_SHOWN} steps, with the model state after each. */
        prefixTail: { op: LinearOp; stateAfter: string }[];
        /** The op that cannot follow the prefix, and the state it would have to follow. */
        op: LinearOp;
        stateBefore: string | null;
        conflictingStates: string[] | null;
        legalSomewhere: boolean;
        /** Where the breaking op sits among the faults. */
        context: string;
      }
    | undefined;
}

/** Keys listed per result. */
export const KEYS_SHOWN = 200;
/** Prefix steps shown before the breaking op. */
export const PREFIX_SHOWN = 30;

function linearOp(o: OpSummary): LinearOp {
  return {
    index: o.index,
    process: o.process,
    description: o.description,
    type: o.type,
    invokeMs: nsToMs(o.invokeTime),
    completeMs: o.completeTime === null ? null : nsToMs(o.completeTime),
  };
}

/**
 * The linearizability views of every `linearizable` result: its per-key outcomes and, when invalid, its
 * counterexample.
 *
 * @example
 * const [view] = linearizableViews(typedResults(verdict.results), timeline);
 * view.counterexample?.op.description; // "read → 3"
 */
export function linearizableViews(results: readonly TypedResult[], tl: ClusterTimeline): LinearizableView[] {
  const out: LinearizableView[] = [];
  for (const t of results) {
    if (t.checker !== "linearizable") continue;
    const r = t.result;
    const rank = (v: Validity): number => (v === false ? 0 : v === "unknown" ? 1 : 2);
    const keys = [...r.keys].sort((a, b) => rank(a.valid) - rank(b.valid));
    const c = r.counterexample;
    out.push({
      checker: t.label,
      model: r.model,
      valid: r.valid,
      keyCount: r.keyCount,
      keys: keys.slice(0, KEYS_SHOWN).map((k) => ({ key: k.key, valid: k.valid, ops: k.ops })),
      keysLeftOut: Math.max(0, keys.length - KEYS_SHOWN),
      counterexample: c
        ? {
            key: c.key,
            initialState: c.initialState,
            prefixLength: c.prefix ? c.prefix.length : null,
            prefixTail: (c.prefix ?? [])
              .slice(-PREFIX_SHOWN)
              .map((s) => ({ op: linearOp(s.op), stateAfter: s.stateAfter })),
            op: linearOp(c.op),
            stateBefore: c.stateBefore,
            conflictingStates: c.conflictingStates,
            legalSomewhere: c.legalSomewhere,
            context: faultPhrase(tl, nsToMs(c.op.invokeTime)),
          }
        : undefined,
    });
  }
  return out;
}
