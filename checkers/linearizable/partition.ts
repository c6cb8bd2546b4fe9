/**
 * From a history to per-key partitions ready for the search: pair invokes with completions, let the model turn
 * each call into an input/output (or drop it), split by key, and order call and return events.
 *
 * Real-time order is the history's order (`index`), as everywhere in faultline's checkers: the history records
 * each invoke before the request leaves and each completion after the reply arrives, so an op whose completion
 * comes before another's invoke really finished first. `time` is only reported (it need not be monotonic).
 *
 * Written for millions of entries: one pass over the history fills typed arrays indexed by logical op (in invoke
 * order, so writes are sequential): its key at the invoke, its model operation at the completion (while both
 * entries are still in the CPU's cache), and the order of returns. A counting sort then splits them by key.
 * (Appending to a thousand per-key arrays as the history streams by was three times slower.)
 */
import type { History, Op } from "../history/op.js";
import { ModelInputError } from "./model.js";
import { hasRefine } from "./refine.js";
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
  /** What the model says each op does when it is legal: {@link OTHER}, {@link BLIND} or {@link PRESERVING}. */
  readonly effects: Uint8Array;
}

/** `Partition.effects`: the op's next state may depend on the one before (`Model.effect`: `other`, or none given). */
export const OTHER = 0;
/** `Partition.effects`: the op's next state does not depend on the one before (a write). */
export const BLIND = 1;
/** `Partition.effects`: the op leaves the state as it was wherever it is legal (a read). */
export const PRESERVING = 2;

/** What a history splits into, with the counts a report shows. */
export interface Partitioned {
  /** Partitions in order of their first invoke. */
  readonly partitions: Partition[];
  /** Client operations in the history. */
  readonly ops: number;
  /** Operations the model dropped (failed writes, reads that timed out): no effect, no observation. */
  readonly dropped: number;
}

/** Thrown by a `partitionHistory` `tick` to stop: the time budget ran out while reading the history. */
export class OutOfTime extends Error {
  override readonly name = "OutOfTime";
}

/** A history the checker cannot read: the message names the op. */
export class HistoryShapeError extends Error {
  override readonly name = "HistoryShapeError";
}

/**
 * Each client process's op in flight: a typed array indexed by process for the usual small ids (grown as ids
 * appear, so a small history allocates little), a map for the rest.
 */
class Pending {
  private small = new Int32Array(64).fill(-1);
  private readonly large = new Map<number, number>();

  private fits(process: number): boolean {
    if (!(process >= 0 && process < 65_536 && Number.isInteger(process))) return false;
    if (process >= this.small.length) {
      let size = this.small.length;
      while (size <= process) size *= 2;
      const grown = new Int32Array(size).fill(-1);
      grown.set(this.small);
      this.small = grown;
    }
    return true;
  }

  /** The op in flight on `process`, or -1. */
  get(process: number): number {
    return this.fits(process) ? this.small[process] : (this.large.get(process) ?? -1);
  }

  open(process: number, op: number): void {
    if (this.fits(process)) this.small[process] = op;
    else this.large.set(process, op);
  }

  /** Ends the op in flight on `process` and returns it, or -1 if there was none. */
  close(process: number): number {
    if (this.fits(process)) {
      const j = this.small[process];
      this.small[process] = -1;
      return j;
    }
    const j = this.large.get(process) ?? -1;
    this.large.delete(process);
    return j;
  }

  /** Every op still in flight. */
  *all(): Iterable<number> {
    for (const j of this.small) if (j >= 0) yield j;
    yield* this.large.values();
  }
}

function where(op: Op, pos: number): string {
  return `op at index ${op.index ?? pos} (process ${String(op.process)}, f ${JSON.stringify(op.f)})`;
}

/** How an op ends up, per logical op. */
const DROPPED = -1;
const INFINITE = 0;
const RETURNED = 1;

/**
 * Splits `history` into partitions for `model`. Client ops only (numeric processes); the nemesis and the monitor
 * are ignored. `model.partition` sees the call before it completes (its key cannot depend on the outcome).
 * Throws {@link HistoryShapeError} for a history that cannot be paired or a call the model rejects. `tick` is
 * called every 16,384 entries (to let the caller stop a long read by throwing). With `refine` false, a model's refine
 * (see `refine.ts`) is left for the caller to apply per key with {@link refinePartition}.
 */
export function partitionHistory(
  history: History,
  model: AnyModel,
  tick?: () => void,
  refine = true,
): Partitioned {
  let total = 0;
  for (let p = 0; p < history.length; p++) {
    const op = history[p];
    if (op.type === "invoke" && typeof op.process === "number") total++;
  }
  // Per logical op j (invoke order): where its entries are, its key, how it ended, its model operation.
  const invokeAt = new Int32Array(total);
  const completeAt = new Int32Array(total).fill(-1);
  const partOf = new Int32Array(total);
  const fate = new Int8Array(total);
  const effects = new Uint8Array(total);
  const inputs = new Array<unknown>(total);
  const outputs = new Array<unknown>(total);
  const returnOrder = new Int32Array(total); // the ops that returned, in completion order
  let returns = 0;
  const ids = new Map<string, number>();
  const keys: string[] = [];
  const simple: boolean[] = [];
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

  // Gives op j its model operation, or drops it.
  const complete = (j: number, inv: Op, comp: Op | undefined): void => {
    const type = comp === undefined || comp.type === "invoke" ? "info" : comp.type;
    call.f = inv.f;
    call.key = inv.key;
    call.args = inv.value;
    call.result = type === "ok" ? comp!.value : undefined;
    call.type = type;
    call.error = comp === undefined ? undefined : comp.error;
    let operation;
    try {
      operation = model.operation(call);
    } catch (err) {
      if (err instanceof ModelInputError)
        throw new HistoryShapeError(`${where(inv, invokeAt[j])}: ${err.message}`);
      throw err;
    }
    if (operation === null) {
      fate[j] = DROPPED;
      return;
    }
    inputs[j] = operation.input;
    outputs[j] = operation.output;
    // ok ops returned; a kept fail (an observation, like a cas that did not swap) returned too; info never did.
    if (type === "info") fate[j] = INFINITE;
    else {
      fate[j] = RETURNED;
      returnOrder[returns++] = j;
    }
    const id = partOf[j];
    const kind = effect === undefined ? "other" : effect(operation.input, operation.output);
    if (kind === "preserving") effects[j] = PRESERVING;
    else if (kind === "blind") effects[j] = BLIND;
    else simple[id] = false;
  };

  for (let p = 0; p < history.length; p++) {
    if ((p & 16_383) === 16_383 && tick !== undefined) tick();
    const op = history[p];
    const process = op.process;
    if (typeof process !== "number") continue;
    if (op.type === "invoke") {
      const open = pending.get(process);
      if (open >= 0) {
        throw new HistoryShapeError(
          `${where(op, p)} invokes while ${where(history[invokeAt[open]], -1)} is pending`,
        );
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
        id = keys.length;
        ids.set(key, id);
        keys.push(key);
        simple.push(true);
      }
      const j = count++;
      invokeAt[j] = p;
      partOf[j] = id;
      pending.open(process, j);
    } else {
      const j = pending.close(process);
      if (j < 0) throw new HistoryShapeError(`${where(op, p)} completes an op that was never invoked`);
      const inv = history[invokeAt[j]];
      if (inv.f !== op.f) throw new HistoryShapeError(`${where(op, p)} completes ${where(inv, invokeAt[j])}`);
      completeAt[j] = p;
      complete(j, inv, op);
    }
  }
  // An invoke that never completed is `info`: it may take effect at any time after its invoke, or never.
  for (const j of pending.all()) complete(j, history[invokeAt[j]], undefined);

  // Counting sort by key: sizes, then each key's arrays filled in invoke order.
  const sizes = new Int32Array(keys.length);
  const returned = new Int32Array(keys.length);
  let dropped = 0;
  for (let j = 0; j < count; j++) {
    if (fate[j] === DROPPED) dropped++;
    else sizes[partOf[j]]++;
  }
  for (let r = 0; r < returns; r++) returned[partOf[returnOrder[r]]]++;
  const partitions: Partition[] = keys.map((key, id) => ({
    key,
    n: sizes[id],
    inputs: new Array<unknown>(sizes[id]),
    outputs: new Array<unknown>(sizes[id]),
    invokeAt: new Int32Array(sizes[id]),
    completeAt: new Int32Array(sizes[id]),
    finite: new Uint8Array(sizes[id]),
    events: new Int32Array(sizes[id] + returned[id]),
    simple: simple[id],
    effects: new Uint8Array(sizes[id]),
  }));
  const local = new Int32Array(count);
  const filled = new Int32Array(keys.length);
  for (let j = 0; j < count; j++) {
    if (fate[j] === DROPPED) continue;
    const id = partOf[j];
    const part = partitions[id];
    const i = filled[id]++;
    local[j] = i;
    part.inputs[i] = inputs[j];
    part.outputs[i] = outputs[j];
    part.invokeAt[i] = invokeAt[j];
    part.completeAt[i] = completeAt[j];
    part.finite[i] = fate[j];
    part.effects[i] = effects[j];
  }
  const returnsOf = keys.map((_, id) => new Int32Array(returned[id]));
  filled.fill(0);
  for (let r = 0; r < returns; r++) {
    const j = returnOrder[r];
    const id = partOf[j];
    returnsOf[id][filled[id]++] = local[j];
  }
  for (let id = 0; id < partitions.length; id++) merge(partitions[id], returnsOf[id]);
  if (refine) {
    for (let id = 0; id < partitions.length; id++) partitions[id] = refinePartition(model, partitions[id]);
  }
  return { partitions, ops: count, dropped };
}

/**
 * `part` after the model's refine (`part` itself when the model has none): its operations rewritten in place, their
 * effects (which refine may change) again. Apply it once per partition.
 */
export function refinePartition(model: AnyModel, part: Partition): Partition {
  if (!hasRefine(model)) return part;
  model.refine(part.inputs, part.outputs);
  const effect = model.effect;
  if (effect === undefined) return part;
  let simple = true;
  for (let i = 0; i < part.n; i++) {
    const kind = effect(part.inputs[i], part.outputs[i]);
    part.effects[i] = kind === "preserving" ? PRESERVING : kind === "blind" ? BLIND : OTHER;
    if (kind === "other") simple = false;
  }
  return { ...part, simple };
}

/**
 * Fills `part.events`: calls (local ops, in invoke order) and `rets` (local ops that returned, in completion order),
 * merged in history order.
 */
function merge(part: Partition, rets: Int32Array): void {
  const { n, invokeAt, completeAt, events } = part;
  let e = 0;
  let c = 0;
  let r = 0;
  while (c < n || r < rets.length) {
    if (r >= rets.length || (c < n && invokeAt[c] < completeAt[rets[r]])) events[e++] = 2 * c++;
    else events[e++] = 2 * rets[r++] + 1;
  }
}
