/**
 * Helpers for the workload end-to-end tests: run `faultline run` into a fresh store, read back what the run left,
 * and measure the client ops of a history.
 */
import { join } from "node:path";
import {
  expectNothingLeft,
  flags,
  historyOps,
  readJson,
  runDirOf,
  runFaultline,
  tempStore,
  type CliResult,
} from "./spine-helpers.js";

/** What one run left: the CLI's result, the run directory, results.json, config.json and the history. */
export interface WorkloadRun {
  r: CliResult;
  store: string;
  dir: string;
  results: Record<string, any>;
  config: Record<string, any>;
  ops: Record<string, any>[];
}

/**
 * Runs `faultline run <args>` into a fresh store (removed when the test passes); checks that nothing of the run is
 * left running.
 */
export async function runWorkload(label: string, args: string): Promise<WorkloadRun> {
  const store = tempStore(label);
  const r = await runFaultline([...flags(`run ${args}`), "--store-dir", store]);
  const dir = runDirOf(store);
  await expectNothingLeft(dir);
  return {
    r,
    store,
    dir,
    results: readJson(join(dir, "results.json")),
    config: readJson(join(dir, "config.json")),
    ops: historyOps(dir),
  };
}

/** A client op paired: its invoke and its completion. */
export interface PairedClientOp {
  f: string;
  key?: string;
  process: number;
  type: "ok" | "fail" | "info";
  value: unknown;
  /** Invoke and completion times, ns. */
  start: number;
  end: number;
  node?: string;
  error?: string;
  /** The completion's history index. */
  index: number;
}

/** Pairs each client process's invokes with their completions (ops that never completed are left out). */
export function clientOps(ops: readonly Record<string, any>[]): PairedClientOp[] {
  const open = new Map<number, Record<string, any>>();
  const out: PairedClientOp[] = [];
  for (const o of ops) {
    if (typeof o.process !== "number") continue;
    if (o.type === "invoke") {
      open.set(o.process, o);
      continue;
    }
    const inv = open.get(o.process);
    open.delete(o.process);
    if (!inv) continue;
    out.push({
      f: o.f,
      ...(o.key === undefined ? {} : { key: o.key }),
      process: o.process,
      type: o.type,
      value: o.value,
      start: inv.time,
      end: o.time,
      ...(o.node === undefined ? {} : { node: o.node }),
      ...(o.error === undefined ? {} : { error: o.error }),
      index: o.index,
    });
  }
  return out;
}

/** The q-quantile (0…1, nearest rank) of `xs`, or NaN when empty. */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** The time (ns) a nemesis op of `f` completed `ok`, the n-th one (default the first). */
export function nemesisOkTime(ops: readonly Record<string, any>[], f: string, n = 0): number {
  const found = ops.filter((o) => o.process === "nemesis" && o.f === f && o.type === "ok")[n];
  if (!found) throw new Error(`no ok nemesis op ${f} in the history`);
  return found.time as number;
}
