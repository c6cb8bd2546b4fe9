/**
 * Helpers for the harness-kill chaos tests: SIGKILL `faultline run` at a seeded moment of a chosen phase, then
 * find what that run left (processes tagged with its harness pid or run id, listeners on its ports, containers and
 * networks with its labels) and what its run directory says.
 */
import { existsSync, readdirSync, readFileSync, realpathSync } from "node:fs";
import { join } from "node:path";
import type { ChildProcess } from "node:child_process";
import { readHistory } from "../../../checkers/history/index.js";
import { historyOps, listeningPorts, portsOfRun, readJson } from "./spine-helpers.js";

/** The phases of a run a kill is aimed at. */
export const PHASES = ["start-up", "faults", "final phase", "checking"] as const;
export type Phase = (typeof PHASES)[number];

/** A small seeded PRNG (mulberry32): the kill moments are the same on every run of the test. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The run directory under `store`, once it exists. */
export function runDirIn(store: string): string | undefined {
  const latest = join(store, "latest");
  if (existsSync(latest)) return realpathSync(latest);
  // Before `latest` is linked: the one `<test>/<timestamp>` directory. The harness links `latest` by renaming a
  // `.latest-<pid>` link over it, which may be listed here and gone a moment later: only directories count.
  for (const test of existsSync(store) ? readdirSync(store, { withFileTypes: true }) : []) {
    if (!test.isDirectory()) continue;
    const dir = join(store, test.name);
    let runs;
    try {
      runs = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue; // removed meanwhile
    }
    for (const run of runs) if (run.isDirectory()) return join(dir, run.name);
  }
  return undefined;
}

/** Whether the history records a client read completed after the final phase's `final-heal` ok. */
export function finalReadRecorded(runDir: string): boolean {
  if (!existsSync(join(runDir, "history.jsonl"))) return false;
  let healed = false;
  for (const o of historyOps(runDir)) {
    if (o.process === "nemesis" && o.f === "final-heal" && o.type === "ok") healed = true;
    else if (healed && typeof o.process === "number" && o.f === "read" && o.type === "ok") return true;
  }
  return false;
}

/**
 * The phase a live run is in, from what it printed and recorded: `start-up` until the cluster is ready, `faults`
 * until the time limit, `final phase` until its final read is recorded, then `checking`.
 */
export function phaseOf(stderr: string, runDir: string | undefined): Phase {
  if (!/cluster ready/.test(stderr)) return "start-up";
  if (!/time limit reached/.test(stderr)) return "faults";
  return runDir !== undefined && finalReadRecorded(runDir) ? "checking" : "final phase";
}

/**
 * Pids of live (non-zombie) processes started by the harness `harnessPid` (`FAULTLINE_HARNESS_PID` in
 * `/proc/<pid>/environ`) or tagged with `runId`.
 */
export function processesOfHarness(harnessPid: number, runId?: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const env = readFileSync(`/proc/${entry}/environ`, "latin1").split("\0");
      const mine =
        env.includes(`FAULTLINE_HARNESS_PID=${harnessPid}`) ||
        (runId !== undefined && env.includes(`FAULTLINE_RUN_ID=${runId}`));
      if (!mine) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      if (stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z")) continue;
      pids.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}

/**
 * Every port a run directory names: the cluster's from `config.json` when it got that far, the ones the node
 * config files name (real and announced ports), and the proxy's API port from its log.
 */
export function portsInRunDir(runDir: string): number[] {
  const ports = new Set<number>();
  try {
    for (const p of portsOfRun(runDir)) ports.add(p);
  } catch {
    // config.json not written yet, or without the cluster
  }
  const nodes = join(runDir, "nodes");
  for (const node of existsSync(nodes) ? readdirSync(nodes) : []) {
    const dir = join(nodes, node);
    let files: string[];
    try {
      files = readdirSync(dir);
    } catch {
      continue;
    }
    for (const f of files) {
      if (!f.endsWith(".conf") && f !== "proxy.log") continue;
      const text = readFileSync(join(dir, f), "utf8");
      for (const m of text.matchAll(/^(?:port|replica-announce-port|sentinel announce-port) (\d+)$/gm)) {
        ports.add(Number(m[1]));
      }
      for (const m of text.matchAll(/"url":"http:\/\/127\.0\.0\.1:(\d+)"/g)) ports.add(Number(m[1]));
    }
  }
  return [...ports];
}

/** The ports of `ports` something listens on now. */
export function stillListening(ports: readonly number[]): number[] {
  const listening = listeningPorts();
  return ports.filter((p) => listening.has(p));
}

/** The run id `config.json` records, once written. */
export function runIdIn(runDir: string | undefined): string | undefined {
  if (!runDir || !existsSync(join(runDir, "config.json"))) return undefined;
  try {
    return readJson(join(runDir, "config.json")).run?.id as string | undefined;
  } catch {
    return undefined; // being written
  }
}

/** Parses the run's history (throws what `readHistory` throws); `undefined` when there is none. */
export async function parseHistoryOf(runDir: string | undefined): Promise<number | undefined> {
  if (!runDir || !existsSync(join(runDir, "history.jsonl"))) return undefined;
  return (await readHistory(join(runDir, "history.jsonl"))).history.length;
}

/** Resolves once `child` has exited. */
export function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((r) => child.once("exit", () => r()));
}
