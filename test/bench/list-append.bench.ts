/**
 * `npm run bench -- list-append`: the list-append checker on 100,000 transactions (target ≤ 5 s; Elle's paper
 * reports about a minute for histories of that size), on a valid history and on the same history with one
 * injected stale read (a cycle through a real-time edge), with peak memory.
 */
import { performance } from "node:perf_hooks";
import { loadavg } from "node:os";
import process, { resourceUsage } from "node:process";
import type { Op } from "../../checkers/history/op.js";
import { checkListAppend } from "../../checkers/list-append/index.js";
import type { ListAppendResult } from "../../checkers/list-append/index.js";
import { committed, seededSteps, simulate } from "../property/list-append-store.js";
import type { BenchContext } from "./run.js";

/** One sentence: what the suite measures. */
export const description =
  "List-append (Elle-style) checker on 100,000 transactions of a strict-serializable store (10 workers, 10 live keys " +
  "rotated every 400 steps, 1–4 micro-ops, 2 % fail, 2 % info): valid, and with one injected stale read.";

const TXNS = 100_000;

function generate(): Op[] {
  // Each transaction is two steps (invoke, completion); a few more steps cover the ones left pending at the end.
  const steps = seededSteps(42, TXNS * 2 + 20, {
    keys: 10,
    rotateEvery: 400,
    maxMops: 4,
    failRate: 0.02,
    infoRate: 0.02,
    maxDelay: 3,
    workers: 10,
  });
  const ops = simulate(10, steps);
  let invokes = 0;
  let cut = ops.length;
  for (let i = 0; i < ops.length; i++) {
    if (ops[i].type === "invoke" && ++invokes > TXNS) {
      cut = i;
      break;
    }
  }
  return ops.slice(0, cut);
}

/** Drops the last element of a committed read whose writer completed before the reader began (near the middle). */
function injectStaleRead(ops: Op[]): Op[] {
  const out = structuredClone(ops);
  const writer = new Map<string, number>();
  const txns = committed(out);
  for (const t of txns) for (const [f, k, v] of t.mops) if (f === "append") writer.set(`${k}:${v}`, t.ok);
  for (const t of txns.slice(txns.length >> 1)) {
    for (const m of t.mops) {
      const list = m[2] as number[];
      if (m[0] !== "r" || list.length < 2 || t.mops.filter((x) => x[1] === m[1]).length !== 1) continue;
      const w = writer.get(`${m[1]}:${list[list.length - 1]}`);
      if (w === undefined || w > t.invoke || writer.get(`${m[1]}:${list[list.length - 2]}`) === w) continue;
      list.pop();
      return out;
    }
  }
  throw new Error("no read to make stale");
}

function timed(ops: Op[]): { ms: number; cpuMs: number; result: ListAppendResult } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const result = checkListAppend(ops);
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { ms, cpuMs: (c.user + c.system) / 1000, result };
}

const mib = (kb: number): string => (kb / 1024).toFixed(0);

/** Runs the suite. */
export async function run(ctx: BenchContext): Promise<void> {
  const t0 = performance.now();
  const valid = generate();
  const invalid = injectStaleRead(valid);
  const genMs = performance.now() - t0;
  const txns = valid.filter((o) => o.type === "invoke").length;
  const rows: (string | number)[][] = [];
  for (const [name, ops, expect] of [
    ["valid", valid, true],
    ["one stale read injected", invalid, false],
  ] as const) {
    const before = resourceUsage().maxRSS;
    const runs = [timed(ops), timed(ops), timed(ops)];
    const after = resourceUsage().maxRSS;
    const r = runs[0].result;
    if (r.valid !== expect) throw new Error(`${name}: expected valid ${expect}, got ${String(r.valid)}`);
    const ms = runs.map((x) => x.ms).sort((a, b) => a - b);
    const cpu = runs.map((x) => x.cpuMs).sort((a, b) => a - b);
    rows.push([
      name,
      txns,
      ops.length,
      ms[0].toFixed(0),
      ms[1].toFixed(0),
      cpu[1].toFixed(0),
      String(r.valid),
      r.anomalyTypes.join(", ") || "—",
      mib(before),
      mib(after),
    ]);
  }
  ctx.table(
    "checkListAppend, 100,000 transactions (3 runs each)",
    [
      "history",
      "txns",
      "ops",
      "min ms",
      "median ms",
      "median CPU ms",
      "valid",
      "anomalies",
      "peak RSS before (MiB)",
      "peak RSS after (MiB)",
    ],
    rows,
  );
  ctx.note(
    `Load average when the suite ended: ${loadavg()
      .map((x) => x.toFixed(1))
      .join(" / ")} (1 / 5 / 15 min).`,
  );
  ctx.note(
    `Generating the histories took ${genMs.toFixed(0)} ms (not included). Peak RSS is the process's maximum ` +
      "resident set (it includes both histories held in memory); the difference before/after bounds what checking " +
      "added. Target: ≤ 5,000 ms per check.",
  );
  await Promise.resolve();
}
