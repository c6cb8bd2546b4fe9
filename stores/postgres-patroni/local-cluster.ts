import { chownSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import {
  allocatePorts,
  HarnessWatchdog,
  LocalProcess,
  NODE_ENV_KEY,
  type RunTag,
} from "../../core/backends/local/index.js";
import { sleep } from "../../core/clock/index.js";
import { FaultlineError, InputError } from "../../core/errors/index.js";
import { reap } from "../../core/backends/reaper/index.js";
import type { ClusterReadiness, PatroniMember } from "./cluster-status.js";
import { etcdArgs } from "./etcd-args.js";
import { patroniYaml } from "./patroni-config.js";
import { planCluster, type PgClusterPlan, type PgNodePlan } from "./plan.js";
import { childrenOf, postmasterPid, processRuns, processState } from "./postmaster.js";
import { DEFAULT_REPLICATION, type PgReplication } from "./replication.js";
import { patroniMembers, patroniReadiness } from "./rest.js";
import { openRunDirFor, storeUser, type SystemUser } from "./system-user.js";
import { checkPatroniTiming, FAST_PATRONI_TIMING, type PatroniTiming } from "./timing.js";

/**
 * The environment variable naming the node a process belongs to: the fault proxy resolves an accepted
 * connection to the process that opened it and walks up to the nearest process carrying it.
 */
export const NODE_ENV = NODE_ENV_KEY;

/** How to start a local PostgreSQL + Patroni + etcd cluster. */
export interface LocalPgClusterOptions {
  /** The run directory; nodes live in `<runDir>/nodes/<name>/`. Every ancestor must be searchable by `postgres`. */
  runDir: string;
  /** Tags every process for the reaper. */
  tag: RunTag;
  nodes?: number;
  etcdMembers?: number;
  timing?: PatroniTiming;
  replication?: PgReplication;
  /** Patroni's scope (the cluster name in the DCS and in PostgreSQL's process titles); default `faultline`. */
  scope?: string;
  /**
   * Whether the cluster dies with the harness (default true): Patroni and etcd get SIGKILL from the kernel when
   * the harness exits (`setpriv --pdeathsig KILL`), and a watchdog kills the PostgreSQL servers, which Patroni
   * detaches. False for clusters kept on purpose (`--leave-running`).
   */
  exitWithHarness?: boolean;
  /** How long to wait for a leader and every standby streaming (default 180 s: initdb is slow on a busy machine). */
  readyTimeoutMs?: number;
  /**
   * When `runDir` is a private scratch directory standing in for the real run directory (one the `postgres` user
   * cannot reach): where the nodes' logs belong (`<logsTo>/<node>/*.log`). Should the harness die, its watchdog
   * copies them there and removes the scratch directory, as the store's own stop does.
   */
  scratchLogsTo?: string;
}

/** How long the start took, measured from the first spawn (ms). */
export interface StartTimings {
  /** Until `/cluster` first named a running leader. */
  leaderMs: number;
  /** Until the leader reported every standby `streaming`. */
  readyMs: number;
}

/**
 * Starts `nodes` Patroni agents (each bootstrapping or cloning its PostgreSQL 15) on an etcd cluster of
 * `etcdMembers`, as the unprivileged `postgres` user when the harness is root, and resolves once a leader runs
 * and every standby streams from it. On any failure everything started so far is stopped before it rejects.
 *
 * @example
 * const cluster = await startLocalPgCluster({ runDir, tag: runTagForThisProcess(runId, runDir) });
 * try { console.log(cluster.timings.readyMs); } finally { await cluster.stop(); }
 */
export async function startLocalPgCluster(options: LocalPgClusterOptions): Promise<LocalPgCluster> {
  const nodes = options.nodes ?? 3;
  const etcdMembers = options.etcdMembers ?? 3;
  const ports = await allocatePorts(2 * (nodes + etcdMembers));
  const plan = planCluster({ runDir: options.runDir, nodes, etcdMembers, ports, scope: options.scope });
  return launchLocalPgCluster(plan, options);
}

/** The timing of `timing`, or an {@link InputError} naming Patroni's limits it breaks. */
export function assertPatroniTiming(timing: PatroniTiming): void {
  const check = checkPatroniTiming(timing);
  if (!check.ok) {
    throw new InputError("BAD_PATRONI_TIMING", `Patroni timing rejected: ${check.problems.join("; ")}`, {
      details: { timing },
      hint: "Patroni requires ttl ≥ 20, loop_wait ≥ 1, retry_timeout ≥ 3 and loop_wait + 2 × retry_timeout ≤ ttl",
    });
  }
}

/**
 * Starts the processes of a laid-out cluster (see {@link startLocalPgCluster}): every address another process
 * dials is the plan's `public` one (a proxy listener when the fault proxy is wired in), every bound one `real`.
 * Each process carries `FAULTLINE_NODE=<its node>` so the proxy can tell whose connection it accepted.
 */
export async function launchLocalPgCluster(
  plan: PgClusterPlan,
  options: Omit<LocalPgClusterOptions, "nodes" | "etcdMembers" | "scope">,
): Promise<LocalPgCluster> {
  const timing = options.timing ?? FAST_PATRONI_TIMING;
  assertPatroniTiming(timing);
  const user = storeUser();
  if (user) openRunDirFor(options.runDir, user);
  const cluster = new LocalPgCluster(
    plan,
    options.tag,
    user,
    options.exitWithHarness ?? true,
    options.scratchLogsTo === undefined ? undefined : { dir: options.runDir, logsTo: options.scratchLogsTo },
  );
  try {
    const t0 = performance.now();
    if (options.exitWithHarness ?? true) await cluster.startWatchdog();
    for (const m of plan.etcd) {
      prepareDir(m.dir, user);
      await cluster.startEtcd(m.name);
    }
    for (const n of plan.nodes) {
      prepareDir(n.dir, user);
      const file = join(n.dir, "patroni.yml");
      writeFileSync(
        file,
        patroniYaml({ plan, node: n, timing, replication: options.replication ?? DEFAULT_REPLICATION }),
      );
      if (user) chownSync(file, user.uid, user.gid);
      await cluster.startNode(n.name);
    }
    cluster.timings = await cluster.awaitReady(t0, options.readyTimeoutMs ?? 180_000);
    return cluster;
  } catch (err) {
    await cluster.stop();
    throw err;
  }
}

function prepareDir(dir: string, user: SystemUser | undefined): void {
  // Parents (`<runDir>/nodes`) must stay searchable by the store user: only the node's own directory is private.
  mkdirSync(dirname(dir), { recursive: true, mode: 0o755 });
  mkdirSync(dir, { mode: 0o700 });
  if (user) chownSync(dir, user.uid, user.gid);
}

/** A started cluster: its plan, how long it took, and the process-level controls a test or nemesis needs. */
export class LocalPgCluster {
  timings: StartTimings = { leaderMs: NaN, readyMs: NaN };
  readonly #procs = new Map<string, LocalProcess>();
  #stopped: Promise<void> | undefined;

  constructor(
    readonly plan: PgClusterPlan,
    private readonly tag: RunTag,
    private readonly user: SystemUser | undefined,
    private readonly exitWithHarness = true,
    private readonly scratch?: { dir: string; logsTo: string },
  ) {}

  #watchdog: HarnessWatchdog | undefined;

  /**
   * Starts the run's watchdog, which kills the cluster once the harness is gone. Patroni starts the postmaster
   * detached, and PostgreSQL's process title overwrites its `/proc/<pid>/environ` (and with it the run tag), so
   * neither a process group, a parent-death signal nor the tag reaches it: the watchdog also kills each node's
   * postmaster through its `postmaster.pid`, while that pid's command line names the data directory. With a
   * scratch directory, it then saves the nodes' logs and removes it.
   */
  async startWatchdog(): Promise<void> {
    const nodesDir = join(this.plan.nodes[0]!.dir, "..");
    this.#watchdog = await HarnessWatchdog.start(this.tag, {
      dir: nodesDir,
      ...(this.scratch ? { scratch: { ...this.scratch, logsFrom: nodesDir } } : {}),
      pidFiles: this.plan.nodes.map((n) => ({
        path: join(n.dataDir, "postmaster.pid"),
        cmdlineContains: n.dataDir,
      })),
    });
  }

  /**
   * Starts (or restarts) node `name`'s Patroni agent, which starts its PostgreSQL (`env` reaches both: a clock
   * shim's `LD_PRELOAD`).
   */
  async startNode(name: string, env: Readonly<Record<string, string>> = {}): Promise<void> {
    const n = this.#node(name);
    await this.spawn(n.name, "patroni", [join(n.dir, "patroni.yml")], n.dir, env);
  }

  /** Starts (or restarts, on its existing data directory) etcd member `name`. */
  async startEtcd(name: string, env: Readonly<Record<string, string>> = {}): Promise<void> {
    const m = this.plan.etcd.find((x) => x.name === name);
    if (!m) throw new RangeError(`no etcd member ${name}`);
    await this.spawn(m.name, "etcd", etcdArgs(m, this.plan), m.dir, env);
  }

  /** SIGKILLs process `name` (an etcd member, or a data node's Patroni alone) and waits for its exit. */
  async killProcess(name: string): Promise<void> {
    await this.#procs.get(name)?.kill();
  }

  /** Whether `name` is an etcd member (else a data node). */
  isEtcd(name: string): boolean {
    return this.plan.etcd.some((m) => m.name === name);
  }

  /** Spawns one store process, as the store user when there is one (setpriv execs: same pid, same group). */
  async spawn(
    name: string,
    command: string,
    args: string[],
    cwd: string,
    env: Readonly<Record<string, string>> = {},
  ): Promise<LocalProcess> {
    const p = await LocalProcess.start(
      {
        name,
        node: name,
        command,
        args,
        cwd,
        outputFile: join(cwd, `${command}.log`),
        // Root's HOME is not readable by postgres; libpq and Python look there.
        env: { ...env, HOME: cwd },
        dieWithHarness: this.exitWithHarness,
        ...(this.user ? { runAs: { uid: this.user.uid, gid: this.user.gid } } : {}),
      },
      this.tag,
    );
    this.#procs.set(name, p);
    return p;
  }

  /** The pid of node `name`'s PostgreSQL server, while it runs. */
  postgresPid(name: string): number | undefined {
    return postmasterPid(this.#node(name).dataDir);
  }

  /**
   * Waits (up to `timeoutMs`) until node `name`'s PostgreSQL runs again — Patroni starts a PostgreSQL that died
   * under it on its own — and returns its pid; `undefined` when it did not come back in time.
   */
  async awaitPostgres(name: string, timeoutMs: number): Promise<number | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const pid = this.postgresPid(name);
      if (pid !== undefined || Date.now() >= deadline) return pid;
      await sleep(100);
    }
  }

  /** The pid of process `name` (a Patroni agent `pgN` or an etcd member `etcdN`), while it runs. */
  pid(name: string): number | undefined {
    const p = this.#procs.get(name);
    return p?.alive ? p.pid : undefined;
  }

  /**
   * SIGKILLs part of node `name`: `postgres` (Patroni restarts it, on the same node if it still holds the
   * leader lock), `patroni` (its PostgreSQL keeps running, a primary keeps accepting writes: the split-brain
   * case) or `both` (a node crash: failover after `ttl`).
   */
  async kill(name: string, what: "postgres" | "patroni" | "both"): Promise<void> {
    if (what !== "postgres") await this.#procs.get(name)?.kill();
    if (what !== "patroni") await killAndWait(this.postgresPid(name));
  }

  /**
   * Whether node `name` runs: a data node while its Patroni or its PostgreSQL runs (with `only`, that one), an
   * etcd member while it runs.
   */
  isRunning(name: string, only?: "patroni" | "postgres"): boolean {
    const agent = this.#procs.get(name)?.alive ?? false;
    if (this.isEtcd(name)) return agent;
    if (only === "patroni") return agent;
    const postgres = this.postgresPid(name) !== undefined;
    return only === "postgres" ? postgres : agent || postgres;
  }

  /**
   * The pids a signal to node `name` must reach: an etcd member's process; a data node's Patroni and its
   * PostgreSQL server with every child of it (each PostgreSQL process has a session of its own, so no group
   * signal reaches them); with `only`, a data node's Patroni alone or its PostgreSQL processes alone.
   */
  pidsOf(name: string, only?: "patroni" | "postgres"): number[] {
    const own = this.pid(name);
    if (this.isEtcd(name)) return own === undefined ? [] : [own];
    const pm = this.postgresPid(name);
    const patroni = own === undefined || only === "postgres" ? [] : [own];
    const postgres = pm === undefined || only === "patroni" ? [] : [pm, ...childrenOf(pm)];
    return [...patroni, ...postgres];
  }

  /**
   * Sends `sig` to node `name` (see {@link pidsOf}; `only` one of a data node's two programs) and, for SIGSTOP /
   * SIGCONT, waits (up to 2 s) until `/proc` shows every process stopped or running again. Returns the main pid
   * (Patroni's, or etcd's; the postmaster's with `only: "postgres"`).
   */
  async signal(
    name: string,
    sig: "SIGSTOP" | "SIGCONT",
    only?: "patroni" | "postgres",
  ): Promise<number | undefined> {
    const pids = this.pidsOf(name, only);
    const proc = this.#procs.get(name);
    if (proc?.alive && only !== "postgres") proc.signal(sig);
    for (const p of pids) {
      try {
        process.kill(p, sig);
      } catch {
        // exited meanwhile
      }
    }
    const deadline = Date.now() + 2000;
    const settled = (): boolean =>
      pids.every((p) => {
        const st = processState(p);
        return st === undefined || st === "Z" || (sig === "SIGSTOP" ? st === "T" : st !== "T");
      });
    while (!settled() && Date.now() < deadline) await sleep(5);
    return pids[0];
  }

  /**
   * Lets the harness exit while the cluster keeps running (`--leave-running`); returns every pid by name
   * (PostgreSQL servers as `<node>-postgres`).
   */
  release(): Record<string, number> {
    const pids: Record<string, number> = {};
    for (const [name, p] of this.#procs) {
      if (!p.alive) continue;
      p.detach();
      pids[name] = p.pid;
    }
    for (const n of this.plan.nodes) {
      const pm = this.postgresPid(n.name);
      if (pm !== undefined) pids[`${n.name}-postgres`] = pm;
    }
    this.#watchdog?.detach();
    this.#stopped = Promise.resolve();
    return pids;
  }

  /** `GET /cluster` from the first Patroni that answers. */
  members(): Promise<PatroniMember[] | undefined> {
    return patroniMembers(this.plan.nodes);
  }

  /** The readiness verdict now (see {@link patroniReadiness}). */
  readiness(): Promise<ClusterReadiness> {
    return patroniReadiness(this.plan.nodes);
  }

  /** Polls until ready; rejects with the last reason and the log tails after `timeoutMs`. */
  async awaitReady(t0: number, timeoutMs: number): Promise<StartTimings> {
    let leaderMs: number | undefined;
    let last: ClusterReadiness = { ready: false, leader: undefined, reason: "not asked yet" };
    while (performance.now() - t0 < timeoutMs) {
      last = await this.readiness();
      if (last.leader !== undefined) leaderMs ??= performance.now() - t0;
      if (last.ready) return { leaderMs: leaderMs!, readyMs: performance.now() - t0 };
      const dead = [...this.#procs.values()].find((p) => !p.alive);
      if (dead) throw this.#startError(`${dead.spec.name} exited (${JSON.stringify(dead.exit)})`);
      await sleep(200);
    }
    throw this.#startError(`not ready after ${timeoutMs} ms: ${last.reason}`);
  }

  /**
   * Stops everything and waits until no process of the cluster is left: Patroni agents and etcd members
   * (their process groups), then each PostgreSQL server (found through `postmaster.pid`; its children exit
   * when it dies), then whatever else carries this run's tag. Idempotent.
   */
  stop(): Promise<void> {
    this.#stopped ??= (async () => {
      await this.#watchdog?.stop();
      await Promise.all([...this.#procs.values()].map((p) => p.kill()));
      await Promise.all(this.plan.nodes.map((n) => killAndWait(postmasterPid(n.dataDir))));
      await reap({ runId: this.tag.runId });
    })();
    return this.#stopped;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  #node(name: string): PgNodePlan {
    const n = this.plan.nodes.find((x) => x.name === name);
    if (!n) throw new RangeError(`no node ${name} (nodes: ${this.plan.nodes.map((x) => x.name).join(", ")})`);
    return n;
  }

  #startError(reason: string): FaultlineError {
    const tails = [...this.plan.nodes, ...this.plan.etcd].map((n) => {
      const log = join(n.dir, this.isEtcd(n.name) ? "etcd.log" : "patroni.log");
      let text = "";
      try {
        text = readFileSync(log, "utf8").split("\n").slice(-8).join("\n");
      } catch {
        // not started
      }
      return `--- ${log}\n${text}`;
    });
    return new FaultlineError(
      "PG_CLUSTER_NOT_READY",
      `PostgreSQL cluster did not start: ${reason}\n${tails.join("\n")}`,
      {
        details: { reason },
        hint: "see the node logs above; packages: apt-get install postgresql-15 patroni etcd-server",
      },
    );
  }
}

async function killAndWait(pid: number | undefined): Promise<void> {
  if (pid === undefined) return;
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    return;
  }
  const deadline = Date.now() + 5000;
  while (processRuns(pid) && Date.now() < deadline) await sleep(20);
}
