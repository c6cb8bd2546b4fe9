/**
 * Histories with a known linearization, for the linearizability properties and benchmark: a sequential reference
 * implementation of each model (written apart from the checker's models) runs under simulated concurrency. Each
 * op's effect happens at an instant inside its [invoke, complete] window; some ops crash as `info` with or
 * without their effect; some fail. Anomalies can be injected (a stale read, a lost write).
 */
import type { Op } from "../../checkers/history/index.js";

/** The models the simulator implements. */
export type SimModel = "register" | "cas-register" | "kv" | "set" | "counter";

/** What happens to one op. `pending-*`: crashes and never completes (an invoke with no completion). */
export type Fate = "ok" | "fail" | "info-effect" | "info-none" | "pending-effect" | "pending-none";

/** One op to perform; all numbers are free (taken modulo what they choose from). */
export interface SimOp {
  /** Which worker runs it. */
  worker: number;
  /** Chooses f among the model's operations. */
  kind: number;
  /** Chooses the key. */
  key: number;
  /** Chooses the argument (when values need not be unique). */
  arg: number;
  /** Idle time before the invoke. */
  gap: number;
  /** Invoke-to-completion time (≥ 1). */
  duration: number;
  /** Where in its window the effect happens, in thousandths. */
  at: number;
  fate: Fate;
}

/** Simulation settings. */
export interface SimOptions {
  workers: number;
  keys: number;
  /** Every written value, appended token and added element is distinct (needed to guarantee anomalies). */
  unique?: boolean;
  /** Ops whose effect is dropped although they report `ok` (a lost write), by position in `ops`. */
  lose?: ReadonlySet<number>;
}

/** One simulated op, as it ended up in the history. */
export interface SimRecord {
  f: string;
  key: string;
  /** The invoke's value. */
  args: unknown;
  /** An ok read's result. */
  result: unknown;
  type: "ok" | "fail" | "info";
  invokeIndex: number;
  /** -1 when it never completed. */
  completeIndex: number;
  invokeTime: number;
  completeTime: number;
  effectTime: number;
  /** Whether its effect was applied (a mutation that took effect; a read that ran). */
  applied: boolean;
  /** For mutations: the token/value it wrote (register, cas new value, kv token). */
  produced?: unknown;
  /** For mutations that took effect: the key's state right after (as a read would return it). */
  after?: unknown;
}

/** A simulated history and what happened. */
export interface Simulated {
  history: Op[];
  records: SimRecord[];
}

const F: Record<SimModel, readonly string[]> = {
  register: ["read", "write"],
  "cas-register": ["read", "write", "cas"],
  kv: ["get", "put", "append"],
  set: ["read", "add"],
  counter: ["read", "incr", "add"],
};

const READS = new Set(["read", "get"]);

/** The reference state of one key. */
type State = unknown;

function initial(model: SimModel): State {
  return model === "kv" ? "" : model === "set" ? [] : model === "counter" ? 0 : null;
}

/** Applies an op to the reference state: the new state, the result, and whether a cas matched. */
function apply(
  model: SimModel,
  f: string,
  args: unknown,
  s: State,
): { state: State; result: unknown; ok: boolean } {
  switch (f) {
    case "read":
    case "get":
      // Redis GET of a missing key: nil; the checker reads it as "".
      return {
        state: s,
        result: model === "kv" && s === "" ? null : model === "set" ? [...(s as number[])] : s,
        ok: true,
      };
    case "write":
    case "put":
      return { state: args, result: undefined, ok: true };
    case "cas": {
      const [e, n] = args as [unknown, unknown];
      return s === e ? { state: n, result: undefined, ok: true } : { state: s, result: undefined, ok: false };
    }
    case "append":
      return { state: (s as string) + (args as string), result: undefined, ok: true };
    case "add":
      if (model === "set") {
        const set = s as number[];
        return {
          state: set.includes(args as number) ? set : [...set, args as number],
          result: undefined,
          ok: true,
        };
      }
      return { state: (s as number) + (args as number), result: undefined, ok: true };
    case "incr":
      return { state: (s as number) + (args === null ? 1 : (args as number)), result: undefined, ok: true };
    default:
      throw new Error(`no such op ${f}`);
  }
}

/** Runs `ops` under `model` with the given concurrency and returns the history. */
export function simulate(model: SimModel, ops: readonly SimOp[], opts: SimOptions): Simulated {
  const fs = F[model];
  const free = new Array<number>(opts.workers).fill(0);
  const generation = new Array<number>(opts.workers).fill(0);
  const records: SimRecord[] = [];
  const procs: number[] = [];
  let fresh = 0;
  for (const op of ops) {
    const w = op.worker % opts.workers;
    const f = fs[op.kind % fs.length];
    const key = String(op.key % opts.keys);
    const invokeTime = free[w] + 1 + op.gap; // after its previous completion, even at equal-time ties
    const duration = Math.max(1, op.duration);
    const completeTime = invokeTime + duration;
    const effectTime = invokeTime + Math.floor((duration * (op.at % 1001)) / 1000);
    free[w] = completeTime;
    fresh++;
    const token = opts.unique ? fresh : op.arg % 5;
    let args: unknown;
    switch (f) {
      case "read":
      case "get":
        args = null;
        break;
      case "write":
        args = token;
        break;
      case "put":
      case "append":
        args = `[${token}]`;
        break;
      case "cas":
        args = [opts.unique ? null : op.arg % 5, token]; // expected patched at effect time below
        break;
      case "incr":
        args = op.arg % 2 === 0 ? null : 1 + (op.arg % 3);
        break;
      default:
        args = model === "counter" ? 1 + (op.arg % 3) : token;
    }
    const type = op.fate === "ok" ? "ok" : op.fate === "fail" ? "fail" : "info";
    records.push({
      f,
      key,
      args,
      result: undefined,
      type,
      invokeIndex: -1,
      completeIndex: op.fate.startsWith("pending") ? -1 : 0,
      invokeTime,
      completeTime,
      effectTime,
      applied: false,
    });
    procs.push(w + generation[w] * opts.workers);
    if (type === "info") generation[w]++;
  }

  // Effects in time order (ties by op order: both windows contain the instant, so either order is legal).
  const order = records
    .map((_, i) => i)
    .sort((a, b) => records[a].effectTime - records[b].effectTime || a - b);
  const states = new Map<string, State>();
  const lastWritten = new Map<string, unknown>();
  for (const i of order) {
    const r = records[i];
    const fate = ops[i].fate;
    const effect = fate === "ok" || fate === "info-effect" || fate === "pending-effect";
    const s = states.has(r.key) ? states.get(r.key) : initial(model);
    if (r.f === "cas" && opts.unique) {
      // With unique values a random expected value would never match: half the time expect the current value.
      const [, n] = r.args as [unknown, unknown];
      r.args = [ops[i].arg % 2 === 0 ? s : (lastWritten.get(r.key) ?? null), n];
    }
    if (!effect) continue;
    const out = apply(model, r.f, r.args, s);
    if (r.f === "cas" && !out.ok && r.type === "ok") r.type = "fail"; // ran, did not swap: a fail without error
    r.applied = true;
    if (READS.has(r.f)) r.result = out.result;
    else if (out.ok) r.produced = r.f === "cas" ? (r.args as unknown[])[1] : r.args;
    if (!opts.lose?.has(i) || READS.has(r.f)) {
      states.set(r.key, out.state);
      if (!READS.has(r.f)) r.after = apply(model, model === "kv" ? "get" : "read", null, out.state).result;
    }
    if (r.f === "write" || r.f === "put" || (r.f === "cas" && out.ok)) lastWritten.set(r.key, out.state);
  }

  // Events in time order, invokes before completions at equal times: the checker takes history order as real-time
  // order, and two ops that meet at an instant may have taken effect in either order there.
  const events: { time: number; rec: number; complete: boolean }[] = [];
  records.forEach((r, i) => {
    events.push({ time: r.invokeTime, rec: i, complete: false });
    if (r.completeIndex >= 0) events.push({ time: r.completeTime, rec: i, complete: true });
  });
  events.sort((a, b) => a.time - b.time || Number(a.complete) - Number(b.complete) || a.rec - b.rec);
  const history: Op[] = [];
  for (const ev of events) {
    const r = records[ev.rec];
    const index = history.length;
    const process = procs[ev.rec];
    if (!ev.complete) {
      r.invokeIndex = index;
      history.push(op(index, ev.time, process, "invoke", r.f, r.key, r.args, undefined));
      continue;
    }
    r.completeIndex = index;
    if (r.type === "ok") {
      history.push(
        op(index, ev.time, process, "ok", r.f, r.key, READS.has(r.f) ? r.result : r.args, undefined),
      );
    } else if (r.type === "fail" && r.f === "cas" && ops[ev.rec].fate === "ok") {
      history.push(op(index, ev.time, process, "fail", r.f, r.key, r.args, undefined)); // ran, did not swap
    } else {
      history.push(
        op(index, ev.time, process, r.type, r.f, r.key, r.args, r.type === "fail" ? "refused" : "timeout"),
      );
    }
  }
  return { history, records };
}

/** An op record with the field order of a parsed history line (one hidden class for all of them). */
function op(
  index: number,
  time: number,
  process: number,
  type: Op["type"],
  f: string,
  key: string,
  value: unknown,
  error: string | undefined,
): Op {
  const o: Op = { index, time, process, type, f, key, value };
  if (error !== undefined) o.error = error;
  return o;
}

/** The op kinds of a model, for generators. */
export function opsOf(model: SimModel): readonly string[] {
  return F[model];
}
