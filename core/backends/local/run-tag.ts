import { readFileSync } from "node:fs";

/**
 * Every child process a run starts carries these environment variables (readable by anyone in
 * `/proc/<pid>/environ`), so a later run or `faultline cleanup` can tell which run a process belongs to and
 * whether that run's harness is still alive (STYLE.md §8).
 */
export const RUN_TAG_ENV = {
  /** The run id (`<test-name>/<timestamp>`-like, unique). */
  runId: "FAULTLINE_RUN_ID",
  /** The harness's pid. */
  harnessPid: "FAULTLINE_HARNESS_PID",
  /** The harness's start time in clock ticks since boot (`/proc/<pid>/stat` field 22), to survive pid reuse. */
  harnessStart: "FAULTLINE_HARNESS_START",
  /** The run directory (where a `leave-running.json` marker says the cluster is kept on purpose). */
  runDir: "FAULTLINE_RUN_DIR",
} as const;

/** The tag values of one run. */
export interface RunTag {
  runId: string;
  harnessPid: number;
  harnessStart: string;
  runDir: string;
}

/** The tag of a run owned by this process. */
export function runTagForThisProcess(runId: string, runDir: string): RunTag {
  return { runId, harnessPid: process.pid, harnessStart: processStartTime(process.pid) ?? "", runDir };
}

/** The environment variables that carry `tag`. */
export function runTagEnv(tag: RunTag): Record<string, string> {
  return {
    [RUN_TAG_ENV.runId]: tag.runId,
    [RUN_TAG_ENV.harnessPid]: String(tag.harnessPid),
    [RUN_TAG_ENV.harnessStart]: tag.harnessStart,
    [RUN_TAG_ENV.runDir]: tag.runDir,
  };
}

/**
 * A process's start time in clock ticks since boot, or `undefined` when it does not exist. The command name in
 * field 2 may contain spaces and parentheses, so fields are counted from the last `)`.
 */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // rest[0] is field 3 (state); field 22 (starttime) is rest[19].
    return rest[19];
  } catch {
    return undefined;
  }
}
