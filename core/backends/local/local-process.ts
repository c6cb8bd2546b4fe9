import { spawn, type ChildProcess } from "node:child_process";
import { accessSync, closeSync, constants, mkdirSync, openSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
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
  /**
   * Whether the kernel SIGKILLs it the moment the harness dies (`setpriv --pdeathsig KILL`, which execs the
   * command: same pid, same group); default false. Linux sends the parent-death signal when the *thread* that
   * forked the child exits: Node spawns from its main thread, whose exit is the process's, so this holds for
   * every process the harness spawns from its event loop. A process the command forks does not inherit it: the
   * run's `HarnessWatchdog` covers those (and the case where `setpriv` is not installed).
   */
  dieWithHarness?: boolean;
  /** Run it as this user and group (`setpriv --reuid --regid --init-groups`: the harness must be root). */
  runAs?: { uid: number; gid: number };
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
    const { command, args } = viaSetpriv(spec);
    const out = openSync(spec.outputFile, "a");
    let child: ChildProcess;
    try {
      child = spawn(command, args, {
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
      child.once("error", (err: NodeJS.ErrnoException) => reject(startError(spec, err)));
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

/**
 * The command line that starts `spec`: the command itself, or `setpriv` with the parent-death signal and/or the
 * user to run as, then the command (setpriv execs it). The command is looked up on PATH first, so a missing
 * binary is still the "not installed" error rather than setpriv's exit 127; without setpriv (util-linux), a
 * process that only asked for the parent-death signal starts plainly and the run's watchdog covers it.
 */
function viaSetpriv(spec: LocalProcessSpec): { command: string; args: string[] } {
  const plain = { command: spec.command, args: [...spec.args] };
  if (!spec.dieWithHarness && !spec.runAs) return plain;
  const setpriv = onPath("setpriv");
  if (!setpriv) {
    if (!spec.runAs) return plain;
    throw startError(spec, Object.assign(new Error("setpriv is not on PATH"), { code: "ENOENT" }), "setpriv");
  }
  if (!spec.command.includes("/") && !onPath(spec.command)) {
    throw startError(spec, Object.assign(new Error(`spawn ${spec.command} ENOENT`), { code: "ENOENT" }));
  }
  const asUser = spec.runAs
    ? ["--reuid", String(spec.runAs.uid), "--regid", String(spec.runAs.gid), "--init-groups"]
    : [];
  const pdeath = spec.dieWithHarness ? ["--pdeathsig", "KILL"] : [];
  return { command: setpriv, args: [...asUser, ...pdeath, "--", spec.command, ...spec.args] };
}

/** The full path of executable `name` on PATH, or `undefined`. */
function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir === "") continue;
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

function startError(spec: LocalProcessSpec, err: NodeJS.ErrnoException, what = spec.command): FaultlineError {
  return new FaultlineError("PROCESS_START_FAILED", `cannot start ${spec.name} (${what}): ${err.message}`, {
    details: { node: spec.name, command: what, code: err.code },
    hint:
      err.code === "ENOENT"
        ? `${what} is not installed or not on PATH (npm run demo / npm test install the stores' packages)`
        : undefined,
    cause: err,
  });
}
