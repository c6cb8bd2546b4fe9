import { join } from "node:path";
import { LocalProcess } from "./local-process.js";
import type { RunTag } from "./run-tag.js";

/**
 * A process the watchdog kills by a pid file, for a process that carries no run tag: one that another process
 * started detached with an environment of its own, or whose title overwrote `/proc/<pid>/environ` (PostgreSQL's
 * postmaster). It is killed only while its command line contains `cmdlineContains`, so a reused pid is spared.
 */
export interface WatchedPidFile {
  /** The file whose first line is the pid. */
  path: string;
  cmdlineContains: string;
}

/** Options of {@link HarnessWatchdog.start}. */
export interface HarnessWatchdogOptions {
  /** Where its log (`watchdog.log`) goes, and its working directory. */
  dir: string;
  /** Untagged processes to kill as well. */
  pidFiles?: readonly WatchedPidFile[];
  /**
   * A directory of the run outside its run directory (a private node directory under the system's temporary
   * directory) to remove once everything is killed, after copying the `*.log` files of each subdirectory of
   * `logsFrom` into `logsTo/<subdirectory>/`: what the cluster's own stop does when the harness lives.
   */
  scratch?: { dir: string; logsFrom: string; logsTo: string };
}

/**
 * The run's own reaper, for when the harness dies without stopping its cluster (SIGKILL, OOM killer, a crash):
 * a small tagged `sh` process, started before anything else of the run, that checks every 200 ms whether the
 * harness still lives (the pid *and* start time of the run tag, so a reused pid does not fool it), and once it
 * is gone SIGKILLs every process tagged with the run (and its process group: a node's forked children), then the
 * processes named by {@link WatchedPidFile}s, salvages the logs of its scratch directory and removes it, and exits. The parent-death signal
 * (`LocalProcessSpec.dieWithHarness`) usually got there first; the watchdog also catches what it cannot: the
 * children nodes fork, processes spawned in the instant the harness died, a machine without `setpriv`. It is
 * itself spawned *without* a parent-death signal, so it outlives the harness; `stop()` ends it with the cluster.
 *
 * @example
 * const watchdog = await HarnessWatchdog.start(tag, { dir: join(runDir, "nodes") });
 * // … start the cluster's processes with `dieWithHarness: true` …
 * await watchdog.stop();
 */
export class HarnessWatchdog {
  private constructor(readonly process: LocalProcess) {}

  /** Starts the watchdog of the run `tag` names. */
  static async start(tag: RunTag, options: HarnessWatchdogOptions): Promise<HarnessWatchdog> {
    const pairs = (options.pidFiles ?? []).flatMap((f) => [f.path, f.cmdlineContains]);
    const p = await LocalProcess.start(
      {
        name: "watchdog",
        command: "sh",
        args: ["-c", WATCHDOG_SCRIPT, "faultline-watchdog", ...pairs],
        cwd: options.dir,
        ...(options.scratch
          ? {
              env: {
                FAULTLINE_SCRATCH_DIR: options.scratch.dir,
                FAULTLINE_SCRATCH_LOGS_FROM: options.scratch.logsFrom,
                FAULTLINE_SCRATCH_LOGS_TO: options.scratch.logsTo,
              },
            }
          : {}),
        outputFile: join(options.dir, "watchdog.log"),
      },
      tag,
    );
    return new HarnessWatchdog(p);
  }

  /** Its pid. */
  get pid(): number {
    return this.process.pid;
  }

  /** Lets the harness exit while it keeps watching (the harness's event loop stops waiting for it). */
  detach(): void {
    this.process.detach();
  }

  /** Ends it (SIGKILL) without it killing anything. Idempotent. */
  async stop(): Promise<void> {
    await this.process.kill();
  }
}

/**
 * The `sh -c` body; `$@` are pid-file/needle pairs. The liveness loop uses only builtins (`read`, parameter
 * expansion) besides `sleep`, so it forks little. `/proc/<pid>/stat` fields after the last `) ` start at field
 * 3 (state); field 22 (starttime) is the 20th of them. A killed process becomes a zombie, whose `environ` reads
 * empty, so each round finds only the living; the command substitution's own subshell is listed but gone by the
 * time it is read (`-e` skips it).
 */
export const WATCHDOG_SCRIPT = [
  "alive() {",
  '  { read -r line < "/proc/$FAULTLINE_HARNESS_PID/stat"; } 2>/dev/null || return 1',
  '  [ -z "$FAULTLINE_HARNESS_START" ] && return 0',
  '  set -- ${line##*") "}',
  "  shift 19",
  '  [ "$1" = "$FAULTLINE_HARNESS_START" ]',
  "}",
  // Its sleeps carry no tag: they are not the run's processes (nor counted as such).
  "while alive; do env -u FAULTLINE_RUN_ID -u FAULTLINE_HARNESS_PID sleep 0.2; done",
  'echo "harness $FAULTLINE_HARNESS_PID is gone: killing run $FAULTLINE_RUN_ID"',
  "round=0",
  "while [ $round -lt 25 ]; do",
  "  found=",
  '  for f in $(grep -lxzF "FAULTLINE_RUN_ID=$FAULTLINE_RUN_ID" /proc/[0-9]*/environ 2>/dev/null); do',
  "    p=${f#/proc/}; p=${p%/environ}",
  '    [ "$p" = "$$" ] && continue',
  '    [ -e "/proc/$p" ] || continue',
  "    found=1",
  '    kill -9 "-$p" 2>/dev/null; kill -9 "$p" 2>/dev/null',
  "  done",
  '  [ -z "$found" ] && break',
  "  round=$((round + 1))",
  "  sleep 0.1",
  "done",
  "while [ $# -ge 2 ]; do",
  '  if { read -r p < "$1"; } 2>/dev/null && [ -n "$p" ]; then',
  '    tr "\\0" " " < "/proc/$p/cmdline" 2>/dev/null | grep -qF -- "$2" && kill -9 "$p"',
  "  fi",
  "  shift 2",
  "done",
  'if [ -n "$FAULTLINE_SCRATCH_DIR" ] && [ -d "$FAULTLINE_SCRATCH_DIR" ]; then',
  '  for d in "$FAULTLINE_SCRATCH_LOGS_FROM"/*/; do',
  '    [ -d "$d" ] || continue',
  "    n=${d%/}; n=${n##*/}",
  '    for f in "$d"*.log; do',
  '      [ -f "$f" ] || continue',
  '      mkdir -p "$FAULTLINE_SCRATCH_LOGS_TO/$n" && cp "$f" "$FAULTLINE_SCRATCH_LOGS_TO/$n/"',
  "    done",
  "  done",
  '  rm -rf "$FAULTLINE_SCRATCH_DIR"',
  '  echo "removed $FAULTLINE_SCRATCH_DIR"',
  "fi",
].join("\n");
