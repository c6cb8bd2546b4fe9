import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { processStartTime, RUN_TAG_ENV } from "../local/index.js";

/** A process some faultline run started, as found in `/proc`. */
export interface TaggedProcess {
  pid: number;
  runId: string;
  runDir: string;
  harnessPid: number;
  harnessStart: string;
  /** The command line, for messages. */
  command: string;
}

/** The file a run leaves in its directory when its cluster is kept on purpose (`--leave-running`). */
export const LEAVE_RUNNING_MARKER = "leave-running.json";

/**
 * Every process on this machine tagged by a faultline run (`FAULTLINE_RUN_ID` in `/proc/<pid>/environ`).
 * Processes whose environment cannot be read (another user's) are skipped.
 */
export function scanTaggedProcesses(proc = "/proc"): TaggedProcess[] {
  const out: TaggedProcess[] = [];
  for (const entry of readdirSync(proc)) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    let env: string;
    try {
      env = readFileSync(join(proc, entry, "environ"), "latin1");
    } catch {
      continue;
    }
    if (!env.includes(RUN_TAG_ENV.runId + "=")) continue;
    const vars = new Map<string, string>();
    for (const kv of env.split("\0")) {
      const i = kv.indexOf("=");
      if (i > 0) vars.set(kv.slice(0, i), kv.slice(i + 1));
    }
    let command = "";
    try {
      command = readFileSync(join(proc, entry, "cmdline"), "latin1")
        .split("\0")
        .join(" ")
        .trim();
    } catch {
      // it exited meanwhile
    }
    out.push({
      pid,
      runId: vars.get(RUN_TAG_ENV.runId) ?? "",
      runDir: vars.get(RUN_TAG_ENV.runDir) ?? "",
      harnessPid: Number(vars.get(RUN_TAG_ENV.harnessPid) ?? 0),
      harnessStart: vars.get(RUN_TAG_ENV.harnessStart) ?? "",
      command,
    });
  }
  return out;
}

/** Whether the harness that started `p` is still alive (same pid *and* same start time, so pid reuse is caught). */
export function harnessAlive(p: TaggedProcess): boolean {
  const start = processStartTime(p.harnessPid);
  return start !== undefined && start === p.harnessStart;
}

/** Whether `p`'s run asked to be kept running. */
export function keptOnPurpose(p: TaggedProcess): boolean {
  return p.runDir !== "" && existsSync(join(p.runDir, LEAVE_RUNNING_MARKER));
}

/** Which processes to remove. */
export interface ReapSelection {
  /** Also remove clusters kept with `--leave-running` (default false). */
  includeKept?: boolean;
  /** Only this run (its processes are removed even if its harness lives or it was kept). */
  runId?: string;
}

/**
 * Removes what dead runs left behind: every tagged process whose harness is gone (and, on request, clusters
 * kept on purpose, or one named run). Each is SIGKILLed with its process group. Returns what was removed.
 *
 * @example
 * const removed = await reap();
 * for (const p of removed) console.error(`removed ${p.command} (pid ${p.pid}) of run ${p.runId}`);
 */
export async function reap(selection: ReapSelection = {}): Promise<TaggedProcess[]> {
  const victims = scanTaggedProcesses().filter((p) => {
    if (selection.runId !== undefined) return p.runId === selection.runId;
    if (harnessAlive(p)) return false;
    return selection.includeKept === true || !keptOnPurpose(p);
  });
  for (const p of victims) {
    for (const target of [-p.pid, p.pid]) {
      try {
        process.kill(target, "SIGKILL");
      } catch {
        // already gone, or not a group leader
      }
    }
  }
  const deadline = Date.now() + 5000;
  while (victims.some((p) => existsSync(`/proc/${p.pid}`) && !isZombie(p.pid)) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
  }
  return victims;
}

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return true;
  }
}

/**
 * SIGKILLs every process of one run at once, synchronously (the CLI's second Ctrl-C: no waiting for anything).
 * Returns how many were signalled.
 */
export function killRunSync(runId: string): number {
  const victims = scanTaggedProcesses().filter((p) => p.runId === runId);
  for (const p of victims) {
    for (const target of [-p.pid, p.pid]) {
      try {
        process.kill(target, "SIGKILL");
      } catch {
        // already gone, or not a group leader
      }
    }
  }
  return victims.length;
}
