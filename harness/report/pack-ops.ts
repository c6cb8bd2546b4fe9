import type { OpTable } from "./op-table.js";

/** A column of small integers: plain, or run-length encoded as `[value, count, value, count, …]` when shorter. */
export type PackedColumn = number[] | { runs: number[] };

/**
 * An {@link OpTable} packed for embedding in a page: times as integer microseconds, invoke times and history
 * indices delta-encoded (both grow), the columns of small integers run-length encoded when that is shorter (the
 * key, the outcome, the node and the error change rarely), absent values as 0 (indices shifted by one), and the
 * timeline row left out (the page derives it from the process). About half the size of the plain table, which
 * is most of a large report's size and of its load time.
 */
export interface PackedOps {
  n: number;
  /** Invoke times, µs: the first absolute, then differences. */
  invUs: number[];
  /** Latencies, µs; -1 for an op that never completed. */
  latUs: number[];
  /** History indices of the invokes: the first absolute, then differences. */
  idx: number[];
  proc: PackedColumn;
  f: PackedColumn;
  type: PackedColumn;
  /** Node index + 1 (0: none). */
  node: PackedColumn;
  /** Key index + 1 (0: none). */
  key: PackedColumn;
  /** Error index + 1 (0: none). */
  err: PackedColumn;
  val: string[];
  fs: string[];
  nodes: string[];
  keys: string[];
  errors: string[];
  rows: string[];
  /** How a process maps to its row: `process mod concurrency`, or its position in `procs`. */
  rowOf: { concurrency: number } | { procs: number[] };
}

/** Run-length encodes a column when that makes it shorter as JSON. */
export function packColumn(xs: readonly number[]): PackedColumn {
  const runs: number[] = [];
  for (let i = 0; i < xs.length;) {
    let j = i + 1;
    while (j < xs.length && xs[j] === xs[i]) j++;
    runs.push(xs[i]!, j - i);
    i = j;
  }
  return runs.length < xs.length ? { runs } : [...xs];
}

/** Expands a {@link PackedColumn}. */
export function unpackColumn(c: PackedColumn): number[] {
  if (Array.isArray(c)) return c;
  const out: number[] = [];
  for (let i = 0; i < c.runs.length; i += 2) for (let k = 0; k < c.runs[i + 1]!; k++) out.push(c.runs[i]!);
  return out;
}

const deltas = (xs: readonly number[]): number[] => xs.map((x, i) => (i === 0 ? x : x - xs[i - 1]!));

/**
 * Packs an op table (see {@link PackedOps}); `unpackOps` in the page (and {@link unpackOps} here, for tests)
 * gives it back with times rounded to the microsecond.
 *
 * @example
 * packOps(buildOpTable(history, { concurrency: 5 })).rowOf; // { concurrency: 5 }
 */
export function packOps(t: OpTable, concurrency: number | undefined): PackedOps {
  const us = (ms: number): number => Math.round(ms * 1000);
  const procs = [...new Set(t.proc)].sort((a, b) => a - b);
  return {
    n: t.inv.length,
    invUs: deltas(t.inv.map(us)),
    latUs: t.lat.map((l) => (l < 0 ? -1 : us(l))),
    idx: deltas(t.idx),
    proc: packColumn(t.proc),
    f: packColumn(t.f),
    type: packColumn(t.type),
    node: packColumn(t.node.map((x) => x + 1)),
    key: packColumn(t.key.map((x) => x + 1)),
    err: packColumn(t.err.map((x) => x + 1)),
    val: t.val,
    fs: t.fs,
    nodes: t.nodes,
    keys: t.keys,
    errors: t.errors,
    rows: t.rows,
    rowOf: concurrency === undefined ? { procs } : { concurrency },
  };
}

/**
 * The inverse of {@link packOps}, written as the page runs it (one self-contained function: the report embeds
 * its source). Runs in the browser and in tests.
 */
export function unpackOps(p: PackedOps): OpTable {
  const col = (c: PackedColumn): number[] => {
    if (Array.isArray(c)) return c;
    const out: number[] = new Array<number>(p.n);
    let k = 0;
    for (let i = 0; i < c.runs.length; i += 2) for (let r = 0; r < c.runs[i + 1]!; r++) out[k++] = c.runs[i]!;
    return out;
  };
  const inv: number[] = new Array<number>(p.n);
  const idx: number[] = new Array<number>(p.n);
  let a = 0;
  let b = 0;
  for (let i = 0; i < p.n; i++) {
    a += p.invUs[i]!;
    b += p.idx[i]!;
    inv[i] = a / 1000;
    idx[i] = b;
  }
  const proc = col(p.proc);
  const rowOf = p.rowOf;
  const procRow = new Map<number, number>();
  if ("procs" in rowOf) rowOf.procs.forEach((x, i) => procRow.set(x, i));
  const c = "concurrency" in rowOf ? rowOf.concurrency : 0;
  return {
    inv,
    lat: p.latUs.map((l) => (l < 0 ? -1 : l / 1000)),
    proc,
    row: proc.map((x) => (c > 0 ? ((x % c) + c) % c : procRow.get(x)!)),
    f: col(p.f),
    type: col(p.type),
    node: col(p.node).map((x) => x - 1),
    key: col(p.key).map((x) => x - 1),
    idx,
    val: p.val,
    err: col(p.err).map((x) => x - 1),
    fs: p.fs,
    nodes: p.nodes,
    keys: p.keys,
    errors: p.errors,
    rows: p.rows,
  };
}
