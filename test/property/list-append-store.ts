/**
 * A strict-serializable in-memory list store, run under a scripted concurrency, producing list-append histories
 * that are valid by construction; and the mutations that inject one anomaly into such a history.
 *
 * Each transaction takes effect atomically at one point between its invoke and its completion (so the history is
 * strict serializable): `ok` ones at the latest when they complete, `fail` ones never, `info` ones maybe (possibly
 * after their completion, as a timed-out request that lands late). A process that gets `info` is retired and its
 * worker goes on as `process + concurrency`, as in Jepsen.
 */
import type { Op } from "../../checkers/history/op.js";

/** One step of the script: the worker `worker` invokes a new transaction, or completes its pending one. */
export interface Step {
  worker: number;
  /** The transaction to invoke, if the worker is idle: reads and appends over keys 0 … keys-1. */
  mops: { read: boolean; key: number }[];
  outcome: "ok" | "fail" | "info";
  /** For `info`: whether it takes effect at all. */
  applyInfo: boolean;
  /** How many later steps before the transaction takes effect, if it has not yet. */
  delay: number;
}

type Mop = [string, number, unknown];

interface Pending {
  invoke: Mop[];
  done: Mop[] | null;
  outcome: Step["outcome"];
  applyInfo: boolean;
  delay: number;
}

/** Runs the script against the store; returns the history (ops still pending at the end never complete). */
export function simulate(workers: number, steps: readonly Step[]): Op[] {
  const ops: Op[] = [];
  const lists = new Map<number, number[]>();
  let nextElement = 0;
  const process = Array.from({ length: workers }, (_, i) => i);
  const pending: (Pending | null)[] = Array.from({ length: workers }, () => null);
  // Info transactions that completed but may still take effect.
  let floating: Pending[] = [];
  const apply = (t: Pending): void => {
    t.done = t.invoke.map(([f, k, v]) => {
      let list = lists.get(k);
      if (list === undefined) lists.set(k, (list = []));
      if (f === "append") {
        list.push(v as number);
        return [f, k, v];
      }
      return [f, k, [...list]];
    });
  };
  const push = (p: number, type: Op["type"], value: unknown): void => {
    ops.push({ index: ops.length, time: ops.length * 1_000, process: p, type, f: "txn", value });
  };
  for (const step of steps) {
    const w = step.worker % workers;
    const t = pending[w];
    if (t === null) {
      const invoke: Mop[] = step.mops.map((m) =>
        m.read ? ["r", m.key, null] : ["append", m.key, nextElement++],
      );
      pending[w] = {
        invoke,
        done: null,
        outcome: step.outcome,
        applyInfo: step.applyInfo,
        delay: step.delay,
      };
      push(process[w], "invoke", invoke);
    } else {
      pending[w] = null;
      if (t.outcome === "ok") {
        if (t.done === null) apply(t);
        push(process[w], "ok", t.done);
      } else {
        push(process[w], t.outcome, t.invoke);
        if (t.outcome === "info") {
          if (t.done === null && t.applyInfo) floating.push(t);
          process[w] += workers;
        }
      }
    }
    // Let time pass for everything in flight.
    for (const p of [...pending, ...floating]) {
      if (p === null || p.done !== null || p.outcome === "fail" || (p.outcome === "info" && !p.applyInfo))
        continue;
      if (p.delay-- <= 0) apply(p);
    }
    floating = floating.filter((p) => p.done === null);
  }
  return ops;
}

/** A deterministic script from a seed (a small LCG), for benchmarks that need 100,000 transactions. */
export function seededSteps(
  seed: number,
  count: number,
  opts: {
    /** Keys in use at a time. */
    keys: number;
    /** Every this many steps, a fresh set of keys replaces the old (Elle's generator retires keys too). */
    rotateEvery: number;
    maxMops: number;
    failRate: number;
    infoRate: number;
    maxDelay: number;
    workers: number;
  },
): Step[] {
  let s = seed >>> 0;
  const rand = (): number => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
  const steps: Step[] = [];
  for (let i = 0; i < count; i++) {
    const n = 1 + Math.floor(rand() * opts.maxMops);
    const base = Math.floor(i / opts.rotateEvery) * opts.keys;
    const mops = Array.from({ length: n }, () => ({
      read: rand() < 0.5,
      key: base + Math.floor(rand() * opts.keys),
    }));
    const r = rand();
    steps.push({
      worker: Math.floor(rand() * opts.workers),
      mops,
      outcome: r < opts.failRate ? "fail" : r < opts.failRate + opts.infoRate ? "info" : "ok",
      applyInfo: rand() < 0.5,
      delay: Math.floor(rand() * opts.maxDelay),
    });
  }
  return steps;
}

/** Transactions of a history: each `ok` completion with the index of its invoke. */
export function committed(ops: readonly Op[]): { invoke: number; ok: number; mops: Mop[] }[] {
  const open = new Map<unknown, number>();
  const out: { invoke: number; ok: number; mops: Mop[] }[] = [];
  for (const op of ops) {
    if (op.type === "invoke") open.set(op.process, op.index);
    else {
      const inv = open.get(op.process) as number;
      open.delete(op.process);
      if (op.type === "ok") out.push({ invoke: inv, ok: op.index, mops: op.value as Mop[] });
    }
  }
  return out;
}
