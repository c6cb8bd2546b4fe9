import type { Op, OpType, Process } from "../../../checkers/history/index.js";

/** One row of an inline history: process, type, f, value and optional extra fields (key, node, error, time). */
export type Row = [Process, OpType, string, unknown?, Partial<Pick<Op, "key" | "node" | "error" | "time">>?];

/**
 * Builds a history from rows, numbering them and spacing them 1 ms apart (time = index × 1,000,000 ns) unless a
 * row gives its own time.
 */
export function history(...rows: Row[]): Op[] {
  return rows.map(([process, type, f, value, extra], index) => {
    const op: Op = { index, time: index * 1_000_000, process, type, f };
    if (value !== undefined) op.value = value;
    return { ...op, ...extra };
  });
}

/** Deep-freezes a value (the contract suite checks that checkers never mutate their input). */
export function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === "object" && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v as object)) deepFreeze(x);
  }
  return v;
}
