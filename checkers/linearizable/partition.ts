/**
 * From a history to per-key partitions ready for the search: pair invokes with completions, let the model turn
 * each call into an input/output (or drop it), split by key, and order call and return events.
 *
 * Real-time order is the history's order (`index`), as everywhere in faultline's checkers: the history records
 * each invoke before the request leaves and each completion after the reply arrives, so an op whose completion
 * comes before another's invoke really finished first. `time` is only reported (it need not be monotonic).
 *
 * One pass over the history, written for millions of entries: an op goes to its key's partition at its invoke
 * (so calls are in invoke order), gets its model operation at its completion (while both entries are still in
 * the CPU's cache), and its return is listed then (so returns are in completion order).
 */
import type { History, Op } from "../history/op.js";
import { ModelInputError } from "./model.js";
import type { AnyModel, Call } from "./model.js";

/** One key's operations, in invoke order, with their call/return events in history order. */
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
  /** Events in history order: `2i` is op i's call, `2i + 1` its return. Returns at +∞ are not listed. */
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

/** One key's operations while the history is read; slots are local op numbers, in invoke order. */
class Builder {
  readonly inputs: unknown[] = [];
  readonly outputs: unknown[] = [];
  readonly invokeAt: number[] = [];
  readonly completeAt: number[] = [];
  /** 1: returned; 0: return at +∞ (info, or never completed); -1: dropped by the model. */
  readonly fate: number[] = [];
  /** Local op numbers of the ops that returned, in completion order. */
  readonly returns: number[] = [];
  dropped = 0;
  simple = true;
  constructor(readonly key: string) {}
}

/**
 * Each client process's op in flight (partition, slot): typed arrays indexed by process for the usual small ids
 * (grown as ids appear, so a small history allocates little), a map for the rest.
 */
class Pending {
  private part = new Int32Array(64).fill(-1);
  private slot = new Int32Array(64);
  private readonly large = new Map<number, [number, number]>();
  /** Set by {@link close}: the slot of the op closed. */
  closedSlot = -1;

  private small(process: number): boolean {
    if (!(process >= 0 && process < 65_536 && Number.isInteger(process))) return false;
    if (process >= this.part.length) {
      let size = this.part.length;
      while (size <= process) size *= 2;
      const part = new Int32Array(size).fill(-1);
      part.set(this.part);
      const slot = new Int32Array(size);
      slot.set(this.slot);
      this.part = part;
      this.slot = slot;
    }
    return true;
  }

  /** The partition of the op in flight on `process`, or -1. */
  partOf(process: number): number {
    if (this.small(process)) return this.part[process];
    return this.large.get(process)?.[0] ?? -1;
  }

  slotOf(process: number): number {
    return this.small(process) ? this.slot[process] : (this.large.get(process)?.[1] ?? -1);
  }

  open(process: number, part: number, slot: number): void {
    if (this.small(process)) {
      this.part[process] = part;
      this.slot[process] = slot;
    } else this.large.set(process, [part, slot]);
  }

  /** Ends the op in flight on `process`: its partition (or -1 if none), its slot in {@link closedSlot}. */
  close(process: number): number {
    const part = this.partOf(process);
    this.closedSlot = this.slotOf(process);
    if (this.small(process)) this.part[process] = -1;
    else this.large.delete(process);
    return part;
  }

  /** Every op still in flight, as [partition, slot]. */
  *all(): Iterable<[number, number]> {
    for (let p = 0; p < this.part.length; p++) if (this.part[p] >= 0) yield [this.part[p], this.slot[p]];
    yield* this.large.values();
  }
}

function where(op: Op, pos: number): string {
  return `op at index ${op.index ?? pos} (process ${String(op.process)}, f ${JSON.stringify(op.f)})`;
}

/**
 * Splits `history` into partitions for `model`. Client ops only (numeric processes); the nemesis and the monitor
 * are ignored. `model.partition` sees the call before it completes (its key cannot depend on the outcome).
 * Throws {@link HistoryShapeError} for a history that cannot be paired or a call the model rejects.
 */
export function partitionHistory(history: History, model: AnyModel): Partitioned {
  const builders: Builder[] = [];
  const ids = new Map<string, number>();
  const pending = new Pending();
  // One Call, refilled for every op: `Model.operation` and `Model.partition` must not keep it.
  const call: Call = {
    f: "",
    key: undefined,
    args: undefined,
    result: undefined,
    type: "info",
    error: undefined,
  };
  const effect = model.effect;
  let count = 0;
  let dropped = 0;

  // Gives the op in `slot` of builder `b` its model operation, or drops it.
  const complete = (b: Builder, slot: number, inv: Op, comp: Op | undefined): void => {
    const type = comp === undefined ? "info" : comp.type;
    call.f = inv.f;
    call.key = inv.key;
    call.args = inv.value;
    call.result = type === "ok" ? comp!.value : undefined;
    call.type = type === "invoke" ? "info" : type;
    call.error = comp === undefined ? undefined : comp.error;
    let operation;
    try {
      operation = model.operation(call);
    } catch (err) {
      if (err instanceof ModelInputError)
        throw new HistoryShapeError(`${where(inv, b.invokeAt[slot])}: ${err.message}`);
      throw err;
    }
    if (operation === null) {
      b.fate[slot] = -1;
      b.dropped++;
      dropped++;
      return;
    }
    b.inputs[slot] = operation.input;
    b.outputs[slot] = operation.output;
    // ok ops returned; a kept fail (an observation, like a cas that did not swap) returned too; info never did.
    if (type === "ok" || type === "fail") {
      b.fate[slot] = 1;
      b.returns.push(slot);
    }
    if (b.simple && (effect === undefined || effect(operation.input, operation.output) === "other"))
      b.simple = false;
  };

  for (let p = 0; p < history.length; p++) {
    const op = history[p];
    const process = op.process;
    if (typeof process !== "number") continue;
    if (op.type === "invoke") {
      const open = pending.partOf(process);
      if (open >= 0) {
        const prev = history[builders[open].invokeAt[pending.slotOf(process)]];
        throw new HistoryShapeError(`${where(op, p)} invokes while ${where(prev, -1)} is pending`);
      }
      call.f = op.f;
      call.key = op.key;
      call.args = op.value;
      call.result = undefined;
      call.type = "info";
      call.error = undefined;
      const key = model.partition(call);
      let id = ids.get(key);
      if (id === undefined) {
        id = builders.length;
        ids.set(key, id);
        builders.push(new Builder(key));
      }
      const b = builders[id];
      const slot = b.invokeAt.length;
      b.invokeAt.push(p);
      b.completeAt.push(-1);
      b.fate.push(0);
      b.inputs.push(undefined);
      b.outputs.push(undefined);
      pending.open(process, id, slot);
      count++;
    } else {
      const id = pending.close(process);
      if (id < 0) throw new HistoryShapeError(`${where(op, p)} completes an op that was never invoked`);
      const b = builders[id];
      const slot = pending.closedSlot;
      const inv = history[b.invokeAt[slot]];
      if (inv.f !== op.f)
        throw new HistoryShapeError(`${where(op, p)} completes ${where(inv, b.invokeAt[slot])}`);
      b.completeAt[slot] = p;
      complete(b, slot, inv, op);
    }
  }
  // An invoke that never completed is `info`: it may take effect at any time after its invoke, or never.
  for (const [id, slot] of pending.all())
    complete(builders[id], slot, history[builders[id].invokeAt[slot]], undefined);

  return { partitions: builders.map(build), ops: count, dropped };
}

/** Typed arrays for the search, without dropped ops, and the call/return events merged in history order. */
function build(b: Builder): Partition {
  const total = b.fate.length;
  const n = total - b.dropped;
  // Local op numbers without the dropped ops.
  const renumber = new Int32Array(total);
  const inputs = b.dropped === 0 ? b.inputs : new Array<unknown>(n);
  const outputs = b.dropped === 0 ? b.outputs : new Array<unknown>(n);
  const invokeAt = new Int32Array(n);
  const completeAt = new Int32Array(n);
  const finite = new Uint8Array(n);
  let k = 0;
  for (let i = 0; i < total; i++) {
    const fate = b.fate[i];
    if (fate < 0) {
      renumber[i] = -1;
      continue;
    }
    renumber[i] = k;
    if (b.dropped > 0) {
      inputs[k] = b.inputs[i];
      outputs[k] = b.outputs[i];
    }
    invokeAt[k] = b.invokeAt[i];
    completeAt[k] = b.completeAt[i];
    finite[k] = fate;
    k++;
  }
  // Slots are in invoke order and returns in completion order, both history order: merge them.
  const rets = b.returns;
  const events = new Int32Array(n + rets.length);
  let e = 0;
  let c = 0;
  let r = 0;
  while (c < total || r < rets.length) {
    if (r >= rets.length || (c < total && b.invokeAt[c] < b.completeAt[rets[r]])) {
      if (renumber[c] >= 0) events[e++] = 2 * renumber[c];
      c++;
    } else {
      events[e++] = 2 * renumber[rets[r++]] + 1;
    }
  }
  return { key: b.key, n, inputs, outputs, invokeAt, completeAt, finite, events, simple: b.simple };
}
