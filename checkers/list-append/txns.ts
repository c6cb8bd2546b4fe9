/**
 * Turns a history into transactions: pairs each `txn` invoke with its process's next completion, and checks the
 * micro-ops against the history contract (see `types.ts`).
 */
import type { History, Op } from "../history/op.js";
import type { Element, Key, MicroOp, TxnOutcome } from "./types.js";

/** One transaction, paired. `id` is its position among transactions, in invoke order. */
export interface Txn {
  id: number;
  invokeIndex: number;
  /** History index of the completion, or -1 when the invoke never completed. */
  completeIndex: number;
  process: number;
  outcome: TxnOutcome;
  /** The completion's micro-ops for `ok`; the invoke's for `fail` and `info`. */
  mops: readonly MicroOp[];
}

/** The transactions of a history, and its invoke / completion events in history order. */
export interface TxnSet {
  txns: Txn[];
  /** `id * 2` for an invoke, `id * 2 + 1` for a completion, in history order. */
  events: Int32Array;
}

/** Collects the transactions; returns a message naming the op and field when the history breaks the contract. */
export function collectTxns(history: History): TxnSet | { error: string } {
  const txns: Txn[] = [];
  const events: number[] = [];
  const pending = new Map<number | string, Txn>();
  for (let i = 0; i < history.length; i++) {
    const op = history[i];
    if (op.f !== "txn") continue;
    if (typeof op.process !== "number") {
      return { error: `op ${op.index}: a txn must be run by a client process, not ${String(op.process)}` };
    }
    if (op.type === "invoke") {
      if (pending.has(op.process)) {
        return {
          error: `op ${op.index}: process ${op.process} invoked a txn while its previous one was pending`,
        };
      }
      const mops = parseMops(op, false);
      if (typeof mops === "string") return { error: mops };
      const txn: Txn = {
        id: txns.length,
        invokeIndex: op.index,
        completeIndex: -1,
        process: op.process,
        outcome: "info",
        mops,
      };
      txns.push(txn);
      pending.set(op.process, txn);
      events.push(txn.id * 2);
      continue;
    }
    const txn = pending.get(op.process);
    if (txn === undefined) {
      return {
        error: `op ${op.index}: a ${op.type} completion of process ${op.process} with no pending invoke`,
      };
    }
    pending.delete(op.process);
    txn.completeIndex = op.index;
    txn.outcome = op.type;
    if (op.type === "ok") {
      const mops = parseMops(op, true);
      if (typeof mops === "string") return { error: mops };
      txn.mops = mops;
    }
    events.push(txn.id * 2 + 1);
  }
  return { txns, events: Int32Array.from(events) };
}

function isKey(k: unknown): k is Key {
  return typeof k === "string" || (typeof k === "number" && Number.isInteger(k));
}

function isElement(e: unknown): e is Element {
  return typeof e === "string" || (typeof e === "number" && Number.isFinite(e));
}

/**
 * The op's micro-ops (its own `value`, validated in place: nothing is copied, nothing mutated, unless an `ok` read
 * is `null`), or a message naming the op and the offending field. On invoke a read's result must be `null` or absent
 * from the contract; on `ok` it must be the list read, `null` (Elle's nil) being the empty list.
 */
function parseMops(op: Op, completed: boolean): readonly MicroOp[] | string {
  const where = `op ${op.index} (${op.type} txn)`;
  if (!Array.isArray(op.value)) return `${where}: value must be a list of micro-ops`;
  const mops = op.value as unknown[];
  let out: unknown[] | undefined; // a copy, made only if a read must be rewritten
  for (let j = 0; j < mops.length; j++) {
    const mop = mops[j];
    if (!Array.isArray(mop) || mop.length !== 3) {
      return `${where}: value[${j}] must be ["append", key, element] or ["r", key, list]`;
    }
    const f: unknown = mop[0];
    if (!isKey(mop[1])) return `${where}: value[${j}][1] (the key) must be a string or an integer`;
    const v: unknown = mop[2];
    if (f === "append") {
      if (!isElement(v)) return `${where}: value[${j}][2] (the element) must be a string or a number`;
    } else if (f === "r") {
      if (!completed) {
        if (v !== null && !Array.isArray(v))
          return `${where}: value[${j}][2] (the read) must be null on invoke`;
        continue;
      }
      if (v === null) {
        // Elle's histories write a read of a list nobody appended to as nil: the empty list.
        out ??= [...mops];
        out[j] = ["r", mop[1], []];
        continue;
      }
      if (!Array.isArray(v)) return `${where}: value[${j}][2] (the read) must be the list read`;
      for (let x = 0; x < v.length; x++) {
        if (!isElement(v[x])) return `${where}: value[${j}][2][${x}] must be a string or a number`;
      }
    } else {
      return `${where}: value[${j}][0] must be "append" or "r", not ${JSON.stringify(f)}`;
    }
  }
  return (out ?? mops) as readonly MicroOp[];
}
