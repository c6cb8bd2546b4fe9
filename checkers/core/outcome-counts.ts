import { recordOf } from "./records.js";
import type { PairedOp } from "../history/pair-ops.js";

/** ok / fail / info counts of one `f`. `info` includes invokes that never completed. */
export interface OutcomeCount {
  ok: number;
  fail: number;
  info: number;
}

/**
 * Counts client ops by `f` and outcome (nemesis and monitor ops are left out), keys in alphabetical order so the
 * result prints the same every time.
 */
export function countOutcomes(ops: readonly PairedOp[]): Record<string, OutcomeCount> {
  const counts = new Map<string, OutcomeCount>();
  for (const op of ops) {
    if (typeof op.process !== "number") continue;
    let c = counts.get(op.f);
    if (!c) counts.set(op.f, (c = { ok: 0, fail: 0, info: 0 }));
    c[op.type]++;
  }
  return recordOf([...counts.keys()].sort().map((f) => [f, counts.get(f)!] as const));
}

/** A time in nanoseconds as seconds for explanations: `12.345 s`. */
export function formatNs(ns: number): string {
  return `${(ns / 1e9).toFixed(3)} s`;
}
