/**
 * Inline histories for the linearizability unit tests: one line per history entry, `index` from the position and
 * `time` = index × 1000 ns (so op 3 is "invoked at 3.000 µs").
 */
import type { Op, OpType } from "../../checkers/history/index.js";

/** `[process, type, f, value?, key?, error?]`. */
export type Line = readonly [
  process: number | "nemesis",
  type: OpType,
  f: string,
  value?: unknown,
  key?: string,
  error?: string,
];

/** Builds a history from lines. */
export function h(...lines: Line[]): Op[] {
  return lines.map(([process, type, f, value, key, error], index) => {
    const op: Op = { index, time: index * 1000, process, type, f };
    if (key !== undefined) op.key = key;
    if (value !== undefined) op.value = value;
    if (error !== undefined) op.error = error;
    return op;
  });
}
