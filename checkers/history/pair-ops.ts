import { InputError } from "../errors/index.js";
import type { History, Op, Process } from "./op.js";

/** How a logical operation ended: `info` also covers an invoke that never completed. */
export type Outcome = "ok" | "fail" | "info";

/**
 * One logical operation: its invoke and its completion, paired (DESIGN.md "Operations and the history").
 *
 * - `ok`: it happened; `value` is the completion's value (a read's result).
 * - `fail`: it did not happen; `value` is the invoke's (the arguments).
 * - `info`: it may or may not have happened, at any time after its invoke; `value` is the invoke's. An invoke
 *   with no completion is `info` with `completion` undefined.
 */
export interface PairedOp {
  process: Process;
  f: string;
  /** The invoke's key (or the completion's, when only it has one). */
  key?: string;
  type: Outcome;
  /** Results for `ok`, else the invoke's arguments. */
  value: unknown;
  /** The node that served it: the completion's `node`, else the invoke's. */
  node?: string;
  /** The completion's `error`, if any. */
  error?: string;
  /**
   * The invoke. For a standalone event of the nemesis or the monitor (a completion with no invoke) it is the event
   * itself, and so is `completion`.
   */
  invoke: Op;
  completion: Op | undefined;
  /** True for a standalone nemesis / monitor event. */
  standalone: boolean;
  /** True when this op retired its client process (`info`, or never completed): the worker got a new id. */
  retires: boolean;
  /** `invoke.index`. */
  start: number;
  /** `completion.index`, or `Infinity` when it never completed. */
  end: number;
  /** `invoke.time` (ns). */
  startTime: number;
  /** `completion.time` (ns), or `Infinity` when it never completed. */
  endTime: number;
}

/**
 * Pairs every invoke with its completion, in invoke order. A client process (an integer) has at most one op in
 * flight; the nemesis and the monitor may have several, and a completion of theirs pairs with their oldest
 * in-flight invoke of the same `f`, or else stands alone as an event.
 *
 * @throws InputError (`BAD_HISTORY`) when a client completion has no invoke in flight or a client process invokes
 *   twice without completing (use {@link validateHistory} for the full structural check with line numbers).
 * @example
 * for (const op of pairOps(history)) if (op.f === "add" && op.type === "ok") acknowledged.add(op.value);
 */
export function pairOps(history: History): PairedOp[] {
  const out: PairedOp[] = [];
  const clientOpen = new Map<number, number>();
  const otherOpen = new Map<string, number[]>();
  for (const op of history) {
    const p = op.process;
    if (op.type === "invoke") {
      const slot = out.length;
      out.push(openPair(op));
      if (typeof p === "number") {
        if (clientOpen.has(p)) {
          throw new InputError(
            "BAD_HISTORY",
            `op ${op.index}: process ${p} invokes while op ${out[clientOpen.get(p)!].start} is in flight`,
            { details: { index: op.index, field: "process" } },
          );
        }
        clientOpen.set(p, slot);
      } else {
        const k = `${p}\u0000${op.f}`;
        const list = otherOpen.get(k);
        if (list) list.push(slot);
        else otherOpen.set(k, [slot]);
      }
      continue;
    }
    let slot: number | undefined;
    if (typeof p === "number") {
      slot = clientOpen.get(p);
      if (slot === undefined) {
        throw new InputError(
          "BAD_HISTORY",
          `op ${op.index}: ${op.type} completion of process ${p} has no invoke in flight`,
          { details: { index: op.index, field: "type" } },
        );
      }
      clientOpen.delete(p);
    } else {
      slot = otherOpen.get(`${p}\u0000${op.f}`)?.shift();
    }
    if (slot === undefined) out.push(standalone(op));
    else complete(out[slot], op);
  }
  return out;
}

function openPair(op: Op): PairedOp {
  const pair: PairedOp = {
    process: op.process,
    f: op.f,
    type: "info",
    value: op.value,
    invoke: op,
    completion: undefined,
    standalone: false,
    retires: typeof op.process === "number",
    start: op.index,
    end: Infinity,
    startTime: op.time,
    endTime: Infinity,
  };
  if (op.key !== undefined) pair.key = op.key;
  if (op.node !== undefined) pair.node = op.node;
  return pair;
}

function complete(pair: PairedOp, op: Op): void {
  const type = op.type === "invoke" ? "info" : op.type;
  pair.completion = op;
  pair.type = type;
  pair.end = op.index;
  pair.endTime = op.time;
  pair.retires = type === "info" && typeof op.process === "number";
  // An ok completion without a value (a write's ack) keeps the invoke's arguments.
  if (type === "ok" && op.value !== undefined) pair.value = op.value;
  if (pair.key === undefined && op.key !== undefined) pair.key = op.key;
  if (op.node !== undefined) pair.node = op.node;
  if (op.error !== undefined) pair.error = op.error;
}

function standalone(op: Op): PairedOp {
  const pair = openPair(op);
  pair.type = op.type === "invoke" ? "info" : op.type;
  pair.value = op.value;
  pair.completion = op;
  pair.standalone = true;
  pair.retires = false;
  pair.end = op.index;
  pair.endTime = op.time;
  if (op.error !== undefined) pair.error = op.error;
  return pair;
}
