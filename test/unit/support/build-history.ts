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

/** Renumbers ops 0, 1, 2 … in order (after markers were inserted). */
function renumber(ops: Op[]): Op[] {
  return ops.map((o, index) => ({ ...o, index }));
}

function marker(f: string, type: OpType, time: number): Op {
  return { index: 0, time, process: "nemesis", type, f, value: null };
}

/**
 * A history as a faultline run records it when the harness dies before the final phase: `initial-heal` first,
 * then the ops, and no `final-heal`.
 */
export function killedRun(ops: readonly Op[]): Op[] {
  return renumber([marker("initial-heal", "invoke", 0), marker("initial-heal", "ok", 0), ...ops]);
}

/**
 * A faultline run's history with its final phase: `initial-heal` first, and `final-heal` (invoke, ok) right before
 * the invoke of the last successful `read` to complete (or at the end when no read succeeded), so that read is the
 * final phase's.
 */
export function completedRun(ops: readonly Op[]): Op[] {
  const done = new Map<number | string, number>();
  let last: number | undefined;
  for (const [i, o] of ops.entries()) {
    if (o.type === "invoke") done.set(o.process, i);
    else if (o.type === "ok" && o.f === "read" && typeof o.process === "number") last = done.get(o.process);
  }
  const at = last ?? ops.length;
  const time = ops[at]?.time ?? ops.at(-1)?.time ?? 0;
  return renumber([
    marker("initial-heal", "invoke", 0),
    marker("initial-heal", "ok", 0),
    ...ops.slice(0, at),
    marker("final-heal", "invoke", time),
    marker("final-heal", "ok", time),
    ...ops.slice(at),
  ]);
}
