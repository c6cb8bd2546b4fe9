import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, mkdirSync, openSync } from "node:fs";
import { dirname } from "node:path";
import { FaultlineError } from "../../errors/index.js";
import { runTagEnv, type RunTag } from "./run-tag.js";

/** How to start one process of a local cluster. */
export interface LocalProcessSpec {
  /** Node or component name (`n1`, `s2`, `proxy`), for messages. */
  name: string;
  command: string;
  args: readonly string[];
  cwd: string;
  /** Where stdout and stderr go (appended, so restarts keep the earlier lines). */
  outputFile: string;
  /** Extra environment on top of the harness's and the run tag. */
  env?: Record<string, string>;
  /**
   * The node this process belongs to: set as `FAULTLINE_NODE=<node>` in its environment (inherited by what it
   * starts), so the proxy's socket-owner resolver can tell the node's connections apart.
   */
  node?: string;
}

/** The environment variable that names a spawned process's node ({@link LocalProcessSpec.node}). */
export const NODE_ENV_KEY = "FAULTLINE_NODE";

/** How a process ended. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * One OS process of a local cluster. It runs **detached** in its own process group, so a Ctrl-C in the
 * terminal reaches only the harness (which then tears everything down in order), and signals go to the whole
 * group, so a child the node forked (a snapshot, a sync) dies with it. It is tagged with the run
 * (`FAULTLINE_RUN_ID` …) for the reaper.
 */
export class LocalProcess {
  readonly spec: LocalProcessSpec;
  readonly child: ChildProcess;
  /** Resolves once the process has exited (never rejects). */
  readonly exited: Promise<ProcessExit>;
  #exit: ProcessExit | undefined;

  private constructor(spec: LocalProcessSpec, child: ChildProcess, exited: Promise<ProcessExit>) {
    this.spec = spec;
    this.child = child;
    this.exited = exited.then((e) => (this.#exit = e));
  }

  /**
   * Starts a process. Rejects when it cannot be spawned at all (e.g. the binary is missing).
   *
   * @example
   * const p = await LocalProcess.start({ name: "n1", command: "my-server", args: ["my.conf"], cwd, outputFile }, tag);
   * p.signal("SIGSTOP");
   */
  static async start(spec: LocalProcessSpec, tag: RunTag): Promise<LocalProcess> {
    mkdirSync(dirname(spec.outputFile), { recursive: true });
    const out = openSync(spec.outputFile, "a");
    let child: ChildProcess;
    try {
      child = spawn(spec.command, spec.args as string[], {
        cwd: spec.cwd,
        detached: true,
        stdio: ["ignore", out, out],
        env: {
          ...process.env,
          ...spec.env,
          // A process of no node (the proxy, a watchdog) must not inherit one from the harness's environment.
          [NODE_ENV_KEY]: spec.node,
          ...runTagEnv(tag),
        },
      });
    } finally {
      closeSync(out);
    }
    const exited = new Promise<ProcessExit>((resolve) => {
      child.once("exit", (code, signal) => resolve({ code, signal }));
      child.once("error", () => resolve({ code: null, signal: null }));
    });
    await new Promise<void>((resolve, reject) => {
      child.once("spawn", () => resolve());
      child.once("error", (err: NodeJS.ErrnoException) =>
        reject(
          new FaultlineError(
            "PROCESS_START_FAILED",
            `cannot start ${spec.name} (${spec.command}): ${err.message}`,
            {
              details: { node: spec.name, command: spec.command, code: err.code },
              hint:
                err.code === "ENOENT"
                  ? `${spec.command} is not installed or not on PATH (npm run demo / npm test install the stores' packages)`
                  : undefined,
              cause: err,
            },
          ),
        ),
      );
    });
    return new LocalProcess(spec, child, exited);
  }

  /** The process id. */
  get pid(): number {
    return this.child.pid!;
  }

  /** Whether the process is still running (or stopped by SIGSTOP). */
  get alive(): boolean {
    return this.#exit === undefined;
  }

  /** How it exited, once it has. */
  get exit(): ProcessExit | undefined {
    return this.#exit;
  }

  /** Sends `sig` to the process's whole group; a no-op once it has exited. */
  signal(sig: NodeJS.Signals): void {
    if (!this.alive) return;
    try {
      process.kill(-this.pid, sig);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ESRCH") throw err;
    }
  }

  /**
   * Lets the harness exit while this process keeps running (`--leave-running`): the event loop stops waiting
   * for it. The reaper or `faultline cleanup` removes it later.
   */
  detach(): void {
    this.child.unref();
  }

  /** SIGKILLs the group and waits for the exit. Idempotent. */
  async kill(): Promise<ProcessExit> {
    this.signal("SIGKILL");
    return this.exited;
  }
}
