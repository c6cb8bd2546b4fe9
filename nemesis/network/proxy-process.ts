import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { FaultlineError } from "../../core/errors/index.js";
import { LocalProcess, type RunTag } from "../../core/backends/local/index.js";
import { sleep } from "../../core/clock/index.js";
import { packageRoot } from "../../core/images/package-root.js";

/**
 * Starts faultline's proxy as a child process (`faultline proxy --port 0 --exit-with-parent`), so it has its own
 * core and event loop and cannot outlive the harness, and resolves with its API URL once its `listening` log
 * line appears in `logFile`.
 */
export async function startProxyProcess(options: {
  tag: RunTag;
  logFile: string;
  cwd: string;
  /**
   * Seed of the proxy's toxic draws (toxicity, jitter, slicer cuts): pass a fork of the run's seed so a replay
   * replays them too. Omitted: the proxy picks a fresh one and logs it.
   */
  seed?: number;
  /** Exit when the harness exits (default true; false for `--leave-running`). */
  exitWithParent?: boolean;
  timeoutMs?: number;
}): Promise<{ process: LocalProcess; url: string }> {
  const bin = join(packageRoot(), "bin", "faultline.js");
  // The log is appended to (a restarted cluster keeps the earlier lines): only what this process writes counts,
  // or a second start would read the first proxy's `listening` line.
  const from = logSize(options.logFile);
  const proc = await LocalProcess.start(
    {
      name: "proxy",
      command: process.execPath,
      args: [
        bin,
        "proxy",
        "--port",
        "0",
        ...(options.seed === undefined ? [] : ["--seed", String(options.seed >>> 0)]),
        ...(options.exitWithParent === false ? [] : ["--exit-with-parent"]),
      ],
      cwd: options.cwd,
      outputFile: options.logFile,
      // The kernel's parent-death signal, on top of the proxy's own poll of its parent.
      dieWithHarness: options.exitWithParent !== false,
    },
    options.tag,
  );
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    const url = listeningUrl(readLog(options.logFile, from));
    if (url) return { process: proc, url };
    if (!proc.alive || Date.now() > deadline) {
      await proc.kill();
      const tail = readLog(options.logFile, from).split("\n").slice(-15).join("\n");
      throw new FaultlineError(
        "PROXY_START_FAILED",
        `the fault proxy ${proc.alive ? "did not report listening in time" : "exited at start"}; its output:\n${tail}`,
        {
          details: { logFile: options.logFile },
          hint: "run `npm run build` if faultline was not built; see the log above",
        },
      );
    }
    await sleep(20);
  }
}

/** Finds the API URL in the proxy's `listening` log line (JSON or text). */
export function listeningUrl(log: string): string | undefined {
  for (const line of log.split("\n")) {
    if (!/listening/i.test(line)) continue;
    const m = /https?:\/\/[\w.[\]:-]+:\d+/.exec(line);
    if (m) return m[0];
  }
  return undefined;
}

/** The log from byte `from` on (empty while it does not exist). */
function readLog(file: string, from: number): string {
  try {
    return readFileSync(file).subarray(from).toString("utf8");
  } catch {
    return "";
  }
}

function logSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}
