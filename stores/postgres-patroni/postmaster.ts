import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The pid of the PostgreSQL server running on `dataDir`, from the first line of its `postmaster.pid`, if that
 * process still runs *on this data directory* (its command line names it), so a stale file whose pid was reused
 * never gets another process killed. Patroni starts the postmaster detached (it is re-parented to init and has a
 * process group of its own), so killing Patroni's group does not stop it: this is how the cluster finds it.
 */
export function postmasterPid(dataDir: string): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 1) return undefined;
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "latin1").split("\0");
    return cmdline.includes(dataDir) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `pid` exists and is not a zombie. */
export function processRuns(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return !stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return false;
  }
}

/** The pids whose parent is `pid` (PostgreSQL's backends and auxiliary processes, each in a session of its own). */
export function childrenOf(pid: number): number[] {
  const out: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return out;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) out.push(Number(e));
    } catch {
      // gone
    }
  }
  return out;
}

/** The state letter of `/proc/<pid>/stat` (`R`, `S`, `T` stopped, `Z` zombie …), or `undefined` when gone. */
export function processState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0];
  } catch {
    return undefined;
  }
}
