import { nsToMs } from "../../checkers/core/index.js";
import { pairOps, type History } from "../../checkers/history/index.js";
import { preview } from "./preview.js";

/** Outcome codes in {@link OpTable.type}. */
export const OUTCOME_CODES = { ok: 0, fail: 1, info: 2 } as const;

/**
 * Every client operation as columns (one array per field, one entry per op, in invoke order): compact enough to
 * embed 100,000 ops in a report, and what the browser draws the latency chart and the timeline from. Strings
 * that repeat (`f`, node, key, error) are indices into tables; `-1` means none.
 */
export interface OpTable {
  /** Invoke time, ms since the run started (to the µs). */
  inv: number[];
  /** Latency in ms (completion − invoke); `-1` when the op never completed. */
  lat: number[];
  /** Logical process. */
  proc: number[];
  /** Timeline row (the worker: process mod concurrency when known, else one row per process). */
  row: number[];
  /** Index into {@link OpTable.fs}. */
  f: number[];
  /** 0 ok, 1 fail, 2 info ({@link OUTCOME_CODES}). */
  type: number[];
  /** Index into {@link OpTable.nodes}, or -1. */
  node: number[];
  /** Index into {@link OpTable.keys}, or -1. */
  key: number[];
  /** History index of the invoke. */
  idx: number[];
  /** The op's value (a read's result when `ok`, else its arguments), cut to a short preview. */
  val: string[];
  /** Index into {@link OpTable.errors}, or -1. */
  err: number[];
  fs: string[];
  nodes: string[];
  keys: string[];
  errors: string[];
  /** Row labels: `worker 0` or `process 3`. */
  rows: string[];
}

/** An interning table: value → index, and the list. */
function interner(): { index(s: string | undefined): number; list: string[] } {
  const map = new Map<string, number>();
  const list: string[] = [];
  return {
    list,
    index(s) {
      if (s === undefined) return -1;
      let i = map.get(s);
      if (i === undefined) {
        i = list.length;
        list.push(s);
        map.set(s, i);
      }
      return i;
    },
  };
}

/**
 * Builds the {@link OpTable} of a history's client ops (nemesis and monitor ops are left out: the report draws
 * them from the cluster timeline).
 *
 * @param options.concurrency the run's concurrency, to fold retired processes onto their worker's row (Jepsen:
 *   a worker continues as process `p + concurrency` after an `info`).
 * @param options.previewChars how much of each value to keep (default 80).
 * @example
 * const t = buildOpTable(history, { concurrency: 5 });
 * t.fs[t.f[0]]; // "add"
 */
export function buildOpTable(
  history: History,
  options: { concurrency?: number; previewChars?: number } = {},
): OpTable {
  const fs = interner();
  const nodes = interner();
  const keys = interner();
  const errors = interner();
  const t: OpTable = {
    inv: [],
    lat: [],
    proc: [],
    row: [],
    f: [],
    type: [],
    node: [],
    key: [],
    idx: [],
    val: [],
    err: [],
    fs: fs.list,
    nodes: nodes.list,
    keys: keys.list,
    errors: errors.list,
    rows: [],
  };
  const c = options.concurrency;
  const ops = pairOps(history).filter((p) => typeof p.process === "number");
  const procRows = new Map<number, number>();
  if (c === undefined) {
    const procs = [...new Set(ops.map((p) => p.process as number))].sort((a, b) => a - b);
    procs.forEach((p, i) => procRows.set(p, i));
    t.rows = procs.map((p) => `process ${p}`);
  } else {
    t.rows = Array.from({ length: c }, (_, i) => `worker ${i}`);
  }
  for (const p of ops) {
    const proc = p.process as number;
    t.inv.push(nsToMs(p.startTime));
    t.lat.push(Number.isFinite(p.endTime) ? nsToMs(p.endTime - p.startTime) : -1);
    t.proc.push(proc);
    t.row.push(c === undefined ? procRows.get(proc)! : ((proc % c) + c) % c);
    t.f.push(fs.index(p.f));
    t.type.push(OUTCOME_CODES[p.type]);
    t.node.push(nodes.index(p.node));
    t.key.push(keys.index(p.key));
    t.idx.push(p.start);
    t.val.push(preview(p.value, options.previewChars ?? 80));
    t.err.push(errors.index(p.error));
  }
  return t;
}
