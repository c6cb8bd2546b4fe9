import fc from "fast-check";
import type { Op, OpType, Process } from "../../../checkers/history/index.js";

/** A logical operation a simulated client performs: what it does to the state when it takes effect. */
export interface SimOp<S> {
  f: string;
  key?: string;
  /** Invoke value (arguments). */
  value: unknown;
  /**
   * Applies the op to the state at its linearization point and returns the ok completion's value; `pick(n)` draws a
   * number below n from the run's choices (for the model's own randomness: replication, which node serves a read).
   */
  apply(state: S, session: Session, pick: (n: number) => number): unknown;
  /** The node that serves it (set when applied). */
  node?: string;
}

/** What a session (client process) remembers, for session guarantees. */
export interface Session {
  process: number;
  floors: Map<string, number>;
}

/** How a simulation chooses what happens next: one random number per decision. */
export type Choices = number[];

/** Random decisions for {@link simulate}: enough for about `steps` scheduling steps. */
export function choices(steps = 120): fc.Arbitrary<Choices> {
  return fc.array(fc.nat(0xffff), { minLength: steps, maxLength: steps * 4 });
}

interface Flight<S> {
  slot: number;
  op: SimOp<S>;
  invoke: Op;
  applied: boolean;
  result: unknown;
}

/**
 * Runs `concurrency` single-threaded client workers against a sequential model: each op takes effect atomically at
 * one step between its invoke and completion (linearizable), and completes `ok`; or fails (`fail`: never took
 * effect); or times out (`info`: took effect or not, and its worker retires to process id + concurrency), or never
 * completes. `nextOp(slot, rng)` makes each worker's next op. Returns the history, the final state, and ends with
 * `final` ops (e.g. a final read) run one at a time by a fresh process after every other op settled.
 */
export function simulate<S>(
  c: Choices,
  state: S,
  concurrency: number,
  nextOp: (slot: number, pick: (n: number) => number) => SimOp<S>,
  final: (() => SimOp<S>)[] = [],
): { history: Op[]; state: S } {
  let i = 0;
  const pick = (n: number): number => (n <= 1 ? 0 : c[i++ % c.length] % n);
  const history: Op[] = [];
  let time = 0;
  const push = (process: Process, type: OpType, op: SimOp<S>, value: unknown, node?: string): Op => {
    time += 1 + pick(3) * 1_000_000;
    const o: Op = { index: history.length, time, process, type, f: op.f, value };
    if (op.key !== undefined) o.key = op.key;
    if (node !== undefined) o.node = node;
    history.push(o);
    return o;
  };
  const procs = Array.from({ length: concurrency }, (_, k) => k);
  const sessions = new Map<number, Session>();
  const session = (p: number): Session => {
    let s = sessions.get(p);
    if (!s) sessions.set(p, (s = { process: p, floors: new Map() }));
    return s;
  };
  const flights = new Map<number, Flight<S>>();
  while (i < c.length) {
    const slot = pick(concurrency);
    const f = flights.get(slot);
    if (!f) {
      const op = nextOp(slot, pick);
      flights.set(slot, {
        slot,
        op,
        invoke: push(procs[slot], "invoke", op, op.value),
        applied: false,
        result: null,
      });
      continue;
    }
    const what = pick(10);
    if (!f.applied && what < 5) {
      f.applied = true;
      f.result = f.op.apply(state, session(procs[slot]), pick);
    } else if (f.applied && what < 9) {
      push(procs[slot], "ok", f.op, f.result, f.op.node);
      flights.delete(slot);
    } else if (!f.applied && what === 9 && pick(2) === 0) {
      push(procs[slot], "fail", f.op, f.op.value);
      flights.delete(slot);
    } else if (what === 9) {
      push(procs[slot], "info", f.op, f.op.value);
      flights.delete(slot);
      procs[slot] += concurrency;
    }
  }
  // Whatever is still in flight never completes (a crashed client); it took effect or not, as it stands.
  let fresh = Math.max(...procs) + concurrency * 10;
  for (const make of final) {
    const op = make();
    const p = fresh++;
    push(p, "invoke", op, op.value);
    push(p, "ok", op, op.apply(state, session(p), pick), op.node);
  }
  return { history, state };
}
