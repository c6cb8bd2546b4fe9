/**
 * `npm run bench -- replication-modes`: the trade-off a replication mode makes, measured on real PostgreSQL +
 * Patroni + etcd runs (the real CLI, every link through the proxy): for each mode (`async`, `sync`, `sync-strict`)
 * under `kill-follower`, `kill-leader` and `partition-leader`, with the same seed and schedule, how available writes
 * were while the fault lasted and how many acknowledged writes were lost. A last row kills the only standby of a
 * two-node `sync-strict` cluster: no other standby can become synchronous, so every write waits until it returns.
 *
 * Figures come from each run's own `history.jsonl` and `results.json`, nothing else.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { fmt, loadAverage } from "./bench-stats.js";
import type { BenchContext } from "./run.js";

export const description =
  "PostgreSQL + Patroni + etcd, one seed and schedule per fault: write availability while the fault lasts and " +
  "acknowledged writes lost, per replication mode, from the runs' own histories.";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const BIN = join(ROOT, "bin", "faultline.js");
const SEED = 7;
const FLAGS = "--workload set --time-limit 35s --recovery-timeout 150s";

const MODES = ["async", "sync", "sync-strict"] as const;
/**
 * One window per fault, the same for every mode: from 5 s to 30 s, then 5 s of quiet before the final phase. The
 * partitioned leader keeps two of the five clients, as the spine's partition-leader does.
 */
const FAULTS = {
  "kill-follower": { fault: "kill", target: "random-follower", params: {} },
  "kill-leader": { fault: "kill", target: "leader", params: {} },
  "partition-leader": {
    fault: "partition",
    target: "leader",
    params: { kind: "partition-leader", clients: ["c1", "c2"] },
  },
} as const;
type FaultName = keyof typeof FAULTS;

interface Row {
  mode: string;
  fault: string;
  extra: string;
  verdict: string;
  faultMs: number;
  attempted: number;
  acked: number;
  failed: number;
  unknown: number;
  longestGapMs: number;
  lost: number;
}

type Op = Record<string, any>;

function runCli(
  args: readonly string[],
  timeoutMs: number,
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGINT"), timeoutMs);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

function historyOf(dir: string): Op[] {
  return readFileSync(join(dir, "history.jsonl"), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as Op];
      } catch {
        return [];
      }
    });
}

/**
 * Writes whose invocation fell inside the fault window [from, to] (ns): how many, how they ended, and the longest
 * stretch of the window with no acknowledged write (measured from the window's start, between acks, and to its end).
 */
export function windowFigures(ops: readonly Op[], from: number, to: number) {
  const completions = new Map<number, Op>();
  const invokes: Op[] = [];
  const open = new Map<unknown, Op>();
  for (const o of ops) {
    if (typeof o.process !== "number" || o.f !== "add") continue;
    if (o.type === "invoke") {
      open.set(o.process, o);
      invokes.push(o);
    } else {
      const inv = open.get(o.process);
      if (inv) completions.set(inv.index as number, o);
      open.delete(o.process);
    }
  }
  const inWindow = invokes.filter((i) => i.time >= from && i.time <= to);
  const ends = inWindow.map((i) => completions.get(i.index as number));
  const acks = ops
    .filter((o) => typeof o.process === "number" && o.f === "add" && o.type === "ok")
    .map((o) => o.time as number)
    .filter((t) => t >= from && t <= to);
  let last = from;
  let gap = 0;
  for (const t of [...acks, to]) {
    gap = Math.max(gap, t - last);
    last = t;
  }
  return {
    attempted: inWindow.length,
    acked: ends.filter((e) => e?.type === "ok").length,
    failed: ends.filter((e) => e?.type === "fail").length,
    unknown: ends.filter((e) => e === undefined || e.type === "info").length,
    longestGapMs: gap / 1e6,
  };
}

async function measure(mode: string, fault: FaultName, extra: readonly string[]): Promise<Row> {
  const store = mkdtempSync(join(tmpdir(), "faultline-bench-modes-"));
  try {
    const schedule = join(store, "schedule.json");
    writeFileSync(
      schedule,
      JSON.stringify({
        timeLimit: "35s",
        windows: [{ id: "f1", start: "5s", duration: "25s", ...FAULTS[fault] }],
      }),
    );
    const args = [
      "run",
      "--store",
      "postgres-patroni",
      "--replication",
      mode,
      "--schedule",
      schedule,
      "--seed",
      String(SEED),
      ...FLAGS.split(" "),
      ...extra,
      "--store-dir",
      store,
    ];
    const r = await runCli(args, 600_000);
    const latest = join(store, "latest");
    if (!existsSync(latest))
      throw new Error(`${mode} ${fault}: no run directory (exit ${r.code}): ${r.stderr}`);
    const dir = realpathSync(latest);
    const ops = historyOf(dir);
    const start = ops.find((o) => o.process === "nemesis" && o.f?.startsWith("start-") && o.type === "ok");
    const stop = ops.find((o) => o.process === "nemesis" && o.f?.startsWith("stop-") && o.type !== "invoke");
    if (!start) throw new Error(`${mode} ${fault}: the fault was not applied (exit ${r.code})`);
    const to = (stop?.time as number | undefined) ?? ops[ops.length - 1]!.time;
    const results = JSON.parse(readFileSync(join(dir, "results.json"), "utf8")) as Op;
    const verdict = { 0: "valid", 1: "INVALID", 2: "unknown" }[r.code as 0 | 1 | 2] ?? `exit ${r.code}`;
    return {
      mode,
      fault,
      extra: extra.join(" "),
      verdict,
      faultMs: (to - start.time) / 1e6,
      ...windowFigures(ops, start.time as number, to),
      lost: (results.results?.set?.lostCount as number | undefined) ?? NaN,
    };
  } finally {
    rmSync(store, { recursive: true, force: true });
  }
}

export async function run(ctx: BenchContext): Promise<void> {
  const rows: Row[] = [];
  for (const fault of Object.keys(FAULTS) as FaultName[])
    for (const mode of MODES) rows.push(await measure(mode, fault, []));
  rows.push(await measure("sync-strict", "kill-follower", ["--followers", "1"]));
  ctx.table(
    `Write availability and acknowledged-write loss per replication mode (set workload, seed ${SEED}, one fault ` +
      "window from 5 s for 25 s, Patroni ttl 20 s / loop_wait 1 s / retry_timeout 5 s, 3 etcd members, " +
      "synchronous_node_count 1, synchronous_commit on; figures over the writes invoked while the fault lasted)",
    [
      "fault",
      "mode",
      "nodes",
      "fault lasted, s",
      "writes tried",
      "acknowledged",
      "failed",
      "unknown",
      "longest stretch with no ack, s",
      "acknowledged writes lost",
      "verdict",
    ],
    rows.map((r) => [
      r.fault,
      r.mode,
      r.extra === "" ? "3" : "2 (--followers 1)",
      (r.faultMs / 1000).toFixed(1),
      fmt(r.attempted),
      `${fmt(r.acked)} (${r.attempted === 0 ? "–" : Math.round((100 * r.acked) / r.attempted)} %)`,
      fmt(r.failed),
      fmt(r.unknown),
      (r.longestGapMs / 1000).toFixed(1),
      Number.isNaN(r.lost) ? "?" : fmt(r.lost),
      r.verdict,
    ]),
  );
  ctx.note(`Load average when the suite ended: ${loadAverage()}.`);
}
