/**
 * From a history to per-key partitions ready for the search: pair invokes with completions, let the model turn
 * each call into an input/output (or drop it), split by key, and order call and return events in time.
 */
import type { History, Op } from "../history/op.js";
import { ModelInputError } from "./model.js";
import type { AnyModel, Call } from "./model.js";

/** One key's operations, in invoke order, with their call/return events in time order. */
export interface Partition {
  /** The key (`""` for ops without one). */
  readonly key: string;
  /** Number of operations. */
  readonly n: number;
  /** Model inputs and outputs, by local op number. */
  readonly inputs: unknown[];
  readonly outputs: unknown[];
  /** Positions in the history array of each op's invoke and completion (-1: never completed). */
  readonly invokeAt: Int32Array;
  readonly completeAt: Int32Array;
  /** 1 when the op returned (ok, or a fail the model keeps as an observation); 0 when its return is +∞. */
  readonly finite: Uint8Array;
  /** Events in time order: `2i` is op i's call, `2i + 1` its return. Returns at +∞ are not listed. */
  readonly events: Int32Array;
  /** True when the model says every op here is blind or state-preserving (see `Model.effect`). */
  readonly simple: boolean;
}

/** What a history splits into, with the counts a report shows. */
export interface Partitioned {
  /** Partitions in order of their first invoke. */
  readonly partitions: Partition[];
  /** Client operations in the history. */
  readonly ops: number;
  /** Operations the model dropped (failed writes, reads that timed out): no effect, no observation. */
  readonly dropped: number;
}

/** A history the checker cannot read: the message names the op. */
export class HistoryShapeError extends Error {
  override readonly name = "HistoryShapeError";
}

class Builder {
  inputs: unknown[] = [];
  outputs: unknown[] = [];
  invokeAt: number[] = [];
  completeAt: number[] = [];
  finite: number[] = [];
  returns: number[] = [];
  simple = true;
  constructor(
    readonly key: string,
    readonly id: number,
  ) {}
}

function where(op: Op, pos: number): string {
  return `op at index ${op.index ?? pos} (process ${String(op.process)}, f ${JSON.stringify(op.f)})`;
}

/**
 * Splits `history` into partitions for `model`. Client ops only (numeric processes); the nemesis and the monitor
 * are ignored. Throws {@link HistoryShapeError} for a history that cannot be paired or a call the model rejects.
 */
export function partitionHistory(history: History, model: AnyModel): Partitioned {
  const len = history.length;
  // Pass 1: pair each invoke with its completion, by process.
  const invokes: number[] = [];
  const completions: number[] = [];
  const pending = new Map<number, number>();
  let timeSorted = true;
  let lastTime = -Infinity;
  for (let p = 0; p < len; p++) {
    const op = history[p];
    if (typeof op.process !== "number") continue;
    if (typeof op.time !== "number" || Number.isNaN(op.time)) {
      throw new HistoryShapeError(`${where(op, p)} has no numeric time`);
    }
    if (op.time < lastTime) timeSorted = false;
    lastTime = op.time;
    if (op.type === "invoke") {
      if (pending.has(op.process)) {
        const prev = history[invokes[pending.get(op.process)!]];
        throw new HistoryShapeError(`${where(op, p)} invokes while ${where(prev, -1)} is still pending`);
      }
      pending.set(op.process, invokes.length);
      invokes.push(p);
      completions.push(-1);
    } else {
      const j = pending.get(op.process);
      if (j === undefined)
        throw new HistoryShapeError(`${where(op, p)} completes an op that was never invoked`);
      pending.delete(op.process);
      const inv = history[invokes[j]];
      if (inv.f !== op.f) throw new HistoryShapeError(`${where(op, p)} completes ${where(inv, invokes[j])}`);
      completions[j] = p;
    }
  }

  // Pass 2: model operations, split by key, in invoke order.
  const byKey = new Map<string, Builder>();
  const owner = new Int32Array(len).fill(-1); // completion position → builder id
  const builders: Builder[] = [];
  const local = new Int32Array(len); // completion position → local op number
  let dropped = 0;
  for (let j = 0; j < invokes.length; j++) {
    const inv = history[invokes[j]];
    const c = completions[j];
    const comp = c >= 0 ? history[c] : undefined;
    const type = comp === undefined ? "info" : comp.type;
    if (type === "invoke") throw new HistoryShapeError(`${where(inv, invokes[j])}: bad completion`);
    const call: Call = {
      f: inv.f,
      key: inv.key,
      args: inv.value,
      result: type === "ok" ? comp!.value : undefined,
      type,
      error: comp?.error,
    };
    let operation;
    try {
      operation = model.operation(call);
    } catch (err) {
      if (err instanceof ModelInputError)
        throw new HistoryShapeError(`${where(inv, invokes[j])}: ${err.message}`);
      throw err;
    }
    if (operation === null) {
      dropped++;
      continue;
    }
    const key = model.partition(call);
    let b = byKey.get(key);
    if (b === undefined) {
      b = new Builder(key, builders.length);
      byKey.set(key, b);
      builders.push(b);
    }
    const i = b.inputs.length;
    b.inputs.push(operation.input);
    b.outputs.push(operation.output);
    if (
      b.simple &&
      (model.effect === undefined || model.effect(operation.input, operation.output) === "other")
    ) {
      b.simple = false;
    }
    b.invokeAt.push(invokes[j]);
    b.completeAt.push(c);
    // ok ops returned; a kept fail (an observation, like a cas that did not swap) returned too; info never did.
    const finite = type !== "info";
    b.finite.push(finite ? 1 : 0);
    if (finite) {
      owner[c] = b.id;
      local[c] = i;
    }
  }

  // Pass 3: returns in history order, then merge with calls by time (a tie counts as overlapping: call first).
  for (let p = 0; p < len; p++) if (owner[p] >= 0) builders[owner[p]].returns.push(local[p]);
  const partitions = builders.map((b) => build(b, history, timeSorted));
  return { partitions, ops: invokes.length, dropped };
}

function build(b: Builder, history: History, timeSorted: boolean): Partition {
  const n = b.inputs.length;
  const invokeAt = Int32Array.from(b.invokeAt);
  const completeAt = Int32Array.from(b.completeAt);
  const calls = Array.from({ length: n }, (_, i) => i);
  const returns = b.returns;
  const callTime = (i: number): number => history[invokeAt[i]].time;
  const returnTime = (i: number): number => history[completeAt[i]].time;
  if (!timeSorted) {
    calls.sort((x, y) => callTime(x) - callTime(y) || x - y);
    returns.sort((x, y) => returnTime(x) - returnTime(y) || completeAt[x] - completeAt[y]);
  }
  const events = new Int32Array(n + returns.length);
  let e = 0;
  let c = 0;
  let r = 0;
  while (c < n || r < returns.length) {
    if (r >= returns.length || (c < n && callTime(calls[c]) <= returnTime(returns[r])))
      events[e++] = 2 * calls[c++];
    else events[e++] = 2 * returns[r++] + 1;
  }
  return {
    key: b.key,
    n,
    inputs: b.inputs,
    outputs: b.outputs,
    invokeAt,
    completeAt,
    finite: Uint8Array.from(b.finite),
    events,
    simple: b.simple,
  };
}
