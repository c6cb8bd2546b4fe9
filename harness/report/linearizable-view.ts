import { nsToMs } from "../../checkers/core/index.js";
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

function linearOp(o: Record<string, any>): LinearOp {
  return {
    index: Number(o.index),
    process: Number(o.process),
    description: String(o.description ?? o.f),
    type: o.type === "ok" || o.type === "fail" ? o.type : "info",
    invokeMs: nsToMs(Number(o.invokeTime)),
    completeMs: typeof o.completeTime === "number" ? nsToMs(o.completeTime) : null,
  };
}

/**
 * The linearizability views of every result that carries per-key outcomes (`keys`) and, when invalid, a
 * `counterexample` (the `linearizable` checker's shape).
 *
 * @example
 * const [view] = linearizableViews(verdict.results, timeline);
 * view.counterexample?.op.description; // "read → 3"
 */
export function linearizableViews(results: Record<string, unknown>, tl: ClusterTimeline): LinearizableView[] {
  const out: LinearizableView[] = [];
  for (const [label, raw] of Object.entries(results)) {
    const r = raw as Record<string, any> | null;
    if (!r || !Array.isArray(r.keys) || typeof r.model !== "string") continue;
    const rank = (v: unknown): number => (v === false ? 0 : v === "unknown" ? 1 : 2);
    const keys = [...(r.keys as { key: string; valid: true | false | "unknown"; ops: number }[])].sort(
      (a, b) => rank(a.valid) - rank(b.valid),
    );
    const c = r.counterexample as Record<string, any> | undefined;
    const prefix = Array.isArray(c?.prefix) ? (c!.prefix as Record<string, any>[]) : null;
    out.push({
      checker: label,
      model: r.model,
      valid: r.valid,
      keyCount: typeof r.keyCount === "number" ? r.keyCount : keys.length,
      keys: keys.slice(0, KEYS_SHOWN).map((k) => ({ key: String(k.key), valid: k.valid, ops: k.ops })),
      keysLeftOut: Math.max(0, keys.length - KEYS_SHOWN),
      counterexample: c
        ? {
            key: String(c.key),
            initialState: String(c.initialState),
            prefixLength: prefix ? prefix.length : null,
            prefixTail: (prefix ?? [])
              .slice(-PREFIX_SHOWN)
              .map((s) => ({ op: linearOp(s.op), stateAfter: String(s.stateAfter) })),
            op: linearOp(c.op),
            stateBefore: c.stateBefore === null ? null : String(c.stateBefore),
            conflictingStates: Array.isArray(c.conflictingStates) ? c.conflictingStates.map(String) : null,
            legalSomewhere: c.legalSomewhere === true,
            context: faultPhrase(tl, nsToMs(Number(c.op.invokeTime))),
          }
        : undefined,
    });
  }
  return out;
}
