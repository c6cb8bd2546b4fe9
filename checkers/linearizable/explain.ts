/**
 * Turns an illegal search into a counterexample and plain words: the op that cannot be linearized, the longest
 * linearizable prefix, and the states it conflicts with.
 */
import type { Anomaly } from "../core/result.js";
import type { History } from "../history/op.js";
import type { Model } from "./model.js";
import type { Partition } from "./partition.js";
import type { Counterexample, OpSummary } from "./result.js";
import type { Probe } from "./search.js";

/** How many ops of the prefix the text lists (all are in the data). */
const TEXT_PREFIX = 8;

/** Describes op `i` of `part`. */
export function summarize<S>(
  model: Model<S, unknown, unknown>,
  part: Partition,
  history: History,
  i: number,
): OpSummary {
  const inv = history[part.invokeAt[i]];
  const c = part.completeAt[i];
  const comp = c >= 0 ? history[c] : undefined;
  const type = comp === undefined || comp.type === "invoke" ? "info" : comp.type;
  const summary: OpSummary = {
    index: inv.index,
    completionIndex: comp === undefined ? null : comp.index,
    process: inv.process as number,
    f: inv.f,
    value: inv.value,
    type,
    invokeTime: inv.time,
    completeTime: type === "info" || comp === undefined ? null : comp.time,
    description: model.describeOperation(part.inputs[i], part.outputs[i]),
  };
  if (inv.key !== undefined) summary.key = inv.key;
  if (type === "ok") summary.result = comp!.value;
  return summary;
}

/**
 * Builds the counterexample of an illegal key from the second search's `probe`. `complete` is false when that
 * search ran out of time: what it had not collected yet is `null`.
 */
export function counterexample<S>(
  model: Model<S, unknown, unknown>,
  part: Partition,
  history: History,
  blocker: number,
  probe: Probe<S>,
  complete: boolean,
): Counterexample {
  const peak = probe.peak;
  const prefix =
    peak === undefined
      ? null
      : Array.from(peak.ops, (i, k) => ({
          op: summarize(model, part, history, i),
          stateAfter: model.describeState(peak.states[k]),
        }));
  const initialState = model.describeState(model.init());
  return {
    key: part.key,
    ops: part.n,
    initialState,
    prefix,
    op: summarize(model, part, history, blocker),
    stateBefore:
      prefix === null ? null : prefix.length === 0 ? initialState : prefix[prefix.length - 1].stateAfter,
    conflictingStates: complete ? probe.illegalFrom.map((s) => model.describeState(s)) : null,
    conflictingStatesTruncated: probe.truncated,
    legalSomewhere: probe.legalSomewhere,
  };
}

/** `key "x"`, or a phrase for ops without a key. */
export function keyLabel(key: string): string {
  return key === "" ? "the unkeyed object" : `key ${JSON.stringify(key)}`;
}

/** Nanoseconds as a short reading: `850 ns`, `57.000 µs`, `1.234 ms`, `2.500 s`. */
export function formatNs(ns: number): string {
  if (Math.abs(ns) < 1e3) return `${ns} ns`;
  if (Math.abs(ns) < 1e6) return `${(ns / 1e3).toFixed(3)} µs`;
  if (Math.abs(ns) < 1e9) return `${(ns / 1e6).toFixed(3)} ms`;
  return `${(ns / 1e9).toFixed(3)} s`;
}

/** `op 57 (process 2, invoked at 57.000 µs, returned at 60.000 µs)`. */
export function opReference(op: OpSummary): string {
  const end =
    op.completeTime === null
      ? "never returned"
      : `${op.type === "fail" ? "failed" : "returned"} at ${formatNs(op.completeTime)}`;
  return `op ${op.index} (process ${op.process}, invoked at ${formatNs(op.invokeTime)}, ${end})`;
}

function orList(items: string[], more: boolean): string {
  if (more) return `${items.join(", ")} or another state`;
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}

/** The plain-words explanation of a counterexample. */
export function explain(cx: Counterexample): string {
  const where = keyLabel(cx.key);
  const head = `On ${where}, ${cx.op.description} — ${opReference(cx.op)} — cannot be linearized`;
  let why: string;
  if (cx.conflictingStates !== null && !cx.legalSomewhere) {
    why =
      `: every order of the ops before and alongside it leaves ${where} at ` +
      `${orList(cx.conflictingStates, cx.conflictingStatesTruncated)} where it could take effect`;
  } else if (cx.stateBefore === null) {
    why = " (the time limit ran out before the longest linearizable prefix could be rebuilt)";
  } else if (cx.legalSomewhere) {
    why =
      `: the longest linearizable prefix leaves ${where} at ${cx.stateBefore}, where it is illegal, and every ` +
      `order that fits it in makes a later op fail`;
  } else {
    why = `: the longest linearizable prefix leaves ${where} at ${cx.stateBefore}, where it is illegal`;
  }
  if (cx.prefix === null) return `${head}${why}.`;
  const shown = cx.prefix.slice(-TEXT_PREFIX);
  const skipped = cx.prefix.length - shown.length;
  const steps = shown.map((s) => `[op ${s.op.index}] ${s.op.description} ⇒ ${s.stateAfter}`).join("; ");
  const list =
    cx.prefix.length === 0
      ? `it is empty (initial state ${cx.initialState})`
      : `${skipped > 0 ? `… ${skipped} earlier ops; ` : `from ${cx.initialState}: `}${steps}`;
  return `${head}${why}. Longest linearizable prefix (${cx.prefix.length} of ${cx.ops} ops on ${where}): ${list}.`;
}

/** The anomaly of a counterexample. */
export function anomaly(cx: Counterexample): Anomaly {
  return {
    kind: "nonlinearizable",
    explanation: explain(cx),
    ops: [cx.op.index],
    key: cx.key,
  };
}
