import { join } from "node:path";
import { LocalProcess, type RunTag } from "../../../core/backends/local/index.js";
import type { NodeInfo, ProcessFaultRecord, ProcessInspection } from "../../../core/cluster/index.js";
import { inspectProcess } from "./inspect-process.js";

/**
 * The Redis and Sentinel processes of one local cluster: how each is started (its config file in its node
 * directory), signalled, restarted and finally stopped.
 */
export class NodeProcesses {
  readonly #procs = new Map<string, LocalProcess>();
  readonly #nodes: ReadonlyMap<string, NodeInfo>;

  constructor(
    nodes: readonly NodeInfo[],
    private readonly tag: RunTag,
    private readonly binary = "redis-server",
    /** Whether every process gets the parent-death signal (false for `--leave-running`). */
    private readonly dieWithHarness = true,
  ) {
    this.#nodes = new Map(nodes.map((n) => [n.name, n]));
  }

  /**
   * Spawns `name` from its config file (`redis.conf`, or `sentinel.conf --sentinel`), with `env` on top of the
   * harness's environment when given (a clock shim's `LD_PRELOAD`).
   */
  async spawn(name: string, env?: Readonly<Record<string, string>>): Promise<LocalProcess> {
    const n = this.#node(name);
    const args =
      n.role === "data" ? [join(n.dir, "redis.conf")] : [join(n.dir, "sentinel.conf"), "--sentinel"];
    const p = await LocalProcess.start(
      {
        name,
        node: name,
        command: this.binary,
        args,
        cwd: n.dir,
        outputFile: join(n.dir, "stdout.log"),
        dieWithHarness: this.dieWithHarness,
        ...(env ? { env: { ...env } } : {}),
      },
      this.tag,
    );
    this.#procs.set(name, p);
    return p;
  }

  /** How `name` exited by itself, or `undefined` while it runs (or was never started). */
  exitReason(name: string): string | undefined {
    const p = this.#procs.get(name);
    if (!p || p.alive) return undefined;
    const e = p.exit!;
    return e.signal !== null
      ? `${name} was killed by ${e.signal}`
      : `${name} exited with code ${e.code ?? "unknown"}`;
  }

  /** SIGKILLs `name` (its whole process group) and waits for it to exit. */
  async kill(name: string): Promise<ProcessFaultRecord> {
    const p = this.#proc(name);
    const pid = p.pid;
    await p.kill();
    return { node: name, pid, signal: "SIGKILL" };
  }

  /** Sends SIGSTOP or SIGCONT to `name`. */
  signal(name: string, sig: "SIGSTOP" | "SIGCONT"): ProcessFaultRecord {
    const p = this.#proc(name);
    p.signal(sig);
    return { node: name, pid: p.pid, signal: sig };
  }

  isRunning(name: string): boolean {
    return this.#procs.get(name)?.alive ?? false;
  }

  pidOf(name: string): number | undefined {
    const p = this.#procs.get(name);
    return p?.alive ? p.pid : undefined;
  }

  /**
   * What `/proc` says of `name`'s process: stopped (SIGSTOP) or not, and the libraries it was started with in
   * `LD_PRELOAD`. `undefined` when it does not run.
   */
  inspect(name: string): ProcessInspection | undefined {
    const pid = this.pidOf(name);
    return pid === undefined ? undefined : inspectProcess(pid);
  }

  /** Lets every process outlive the harness (`--leave-running`); returns their pids. */
  detachAll(): Record<string, number> {
    const pids: Record<string, number> = {};
    for (const [name, p] of this.#procs) {
      if (p.alive) pids[name] = p.pid;
      p.detach();
    }
    return pids;
  }

  /** SIGKILLs every process and waits for them all. */
  async killAll(): Promise<void> {
    await Promise.all([...this.#procs.values()].map((p) => p.kill()));
  }

  #node(name: string): NodeInfo {
    const n = this.#nodes.get(name);
    if (!n) throw new Error(`unknown node ${name}`);
    return n;
  }

  #proc(name: string): LocalProcess {
    const p = this.#procs.get(name);
    if (!p) throw new Error(`unknown node ${name}`);
    return p;
  }
}
