import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type {
  ClusterSpec,
  HasLeader,
  Killable,
  LinkCut,
  LinkRule,
  NodeInfo,
  Partitionable,
  Pausable,
  ProcessFaultRecord,
  StartedCluster,
  StoppedCluster,
  ClientEndpoints,
} from "../cluster/index.js";
import { allocatePorts, LocalProcess, type RunTag } from "../backends/local/index.js";
import { pollUntil } from "../clock/index.js";
import { DisposalStack } from "../disposal/index.js";
import { FaultlineError } from "../errors/index.js";
import type { StoreConfig } from "../config/index.js";
import { directNetwork, startProxyProcess, wireProxyNetwork, type Network } from "../network/index.js";
import { AdminConnections } from "./admin-connections.js";
import { renderRedisConf, renderSentinelConf } from "./config-files.js";
import { probeHealth, sentinelLeader, type ClusterShape } from "./health.js";

/** Options of {@link redisSentinelCluster}. */
export interface RedisClusterOptions {
  /** The run directory; nodes live in `<runDir>/nodes/<node>/`. */
  runDir: string;
  tag: RunTag;
  store: StoreConfig & { quorum: number };
  /** Client names (`c1`…); each gets its own proxy listener per node. */
  clients: readonly string[];
  network: "proxy" | "direct";
  /** How long `start()` may take before it gives up (default 30 s). */
  startTimeoutMs?: number;
  /** The `redis-server` binary (default from PATH). */
  redisServer?: string;
  /** Keep the proxy running when the harness exits (for `--leave-running`); default false. */
  keepProxyAfterHarness?: boolean;
  /** Called as start passes each phase, with ms since start began (for logs and the start benchmark). */
  onPhase?: (phase: StartPhase, ms: number) => void;
}

/** The phases of {@link redisSentinelCluster}'s start, in order. */
export type StartPhase = "proxy" | "network" | "data-nodes" | "failover-managers" | "ready";

/** A running Redis + Sentinel cluster with every ability the spine's nemeses use. */
export interface StartedRedisCluster extends StartedCluster, Killable, Pausable, HasLeader {
  /** The name Sentinels monitor the leader under. */
  readonly masterName: string;
  readonly network: Network;
  /** The harness's direct connections to every node. */
  readonly admin: AdminConnections;
  /** Link faults (present when links go through the proxy). */
  readonly links: Partitionable | undefined;
  /** How long start took, from the first process spawned to "really ready", in ms. */
  readonly readyMs: number;
  /** The node behind a public address, as Sentinels and followers announce it. */
  nodeByPublic(host: string, port: number): string | undefined;
  /** The current pid of a node, when it runs. */
  pidOf(node: string): number | undefined;
  /**
   * Leaves the cluster running on purpose (`--leave-running`): closes the harness's connections and lets the
   * harness exit without stopping any process. `stop()` afterwards does nothing.
   */
  release(): { pids: Record<string, number> };
}

const MASTER_NAME = "faultline";

/**
 * The Redis + Sentinel cluster of the spine (spec §2.6): one leader `n1`, `store.followers` followers `n2…`,
 * `store.failoverManagers` Sentinels `s1…`, each a local process with fresh config and data in the run
 * directory, each binding its outgoing connections to its own `127.0.X.Y` and announcing its proxy port. Start
 * resolves once the leader is writable, every follower is online, and every Sentinel sees every follower and
 * every peer. The started cluster is `Killable`, `Pausable`, `HasLeader`, and `Partitionable` through the proxy.
 *
 * @example
 * await using cluster = await redisSentinelCluster({ runDir, tag, store, clients: ["c1"], network: "proxy" }).start();
 * const leader = await cluster.leader(); // "n1"
 */
export function redisSentinelCluster(options: RedisClusterOptions): ClusterSpec<StartedRedisCluster> {
  return { store: "redis-sentinel", start: () => startCluster(options) };
}

async function startCluster(o: RedisClusterOptions): Promise<StartedRedisCluster> {
  const stack = new DisposalStack();
  try {
    return await startInside(o, stack);
  } catch (err) {
    await stack.disposeAsync().catch(() => undefined);
    throw err;
  }
}

async function startInside(o: RedisClusterOptions, stack: DisposalStack): Promise<StartedRedisCluster> {
  const t0 = Date.now();
  const phase = (p: StartPhase): void => o.onPhase?.(p, Date.now() - t0);
  const dataNames = Array.from({ length: o.store.followers + 1 }, (_, i) => `n${i + 1}`);
  const sentinelNames = Array.from({ length: o.store.failoverManagers }, (_, i) => `s${i + 1}`);
  const ports = await allocatePorts(dataNames.length + sentinelNames.length);
  const nodeDir = (name: string): string => join(o.runDir, "nodes", name);
  const plan = {
    nodes: [
      ...dataNames.map((name, i) => ({
        name,
        real: { host: "127.0.0.1", port: ports[i]! },
        sourceAddress: `127.0.1.${i + 1}`,
      })),
      ...sentinelNames.map((name, j) => ({
        name,
        real: { host: "127.0.0.1", port: ports[dataNames.length + j]! },
        sourceAddress: `127.0.2.${j + 1}`,
      })),
    ],
    clients: o.clients,
  };
  for (const n of plan.nodes) mkdirSync(nodeDir(n.name), { recursive: true });

  let network: Network;
  let proxyProcess: LocalProcess | undefined;
  if (o.network === "proxy") {
    mkdirSync(nodeDir("proxy"), { recursive: true });
    const proxy = await startProxyProcess({
      tag: o.tag,
      logFile: join(nodeDir("proxy"), "proxy.log"),
      cwd: nodeDir("proxy"),
      exitWithParent: o.keepProxyAfterHarness !== true,
    });
    proxyProcess = proxy.process;
    stack.defer("proxy", () => proxy.process.kill());
    phase("proxy");
    network = await wireProxyNetwork(plan, proxy);
  } else {
    network = directNetwork(plan);
  }
  stack.defer("network", () => network.stop());
  phase("network");

  const nodes: NodeInfo[] = plan.nodes.map((n) => ({
    name: n.name,
    role: n.name.startsWith("n") ? "data" : "failover-manager",
    admin: n.real,
    public: network.publicAddress(n.name),
    sourceAddress: n.sourceAddress,
    dir: nodeDir(n.name),
  }));
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const byPublic = new Map(nodes.map((n) => [`${n.public.host}:${n.public.port}`, n.name]));
  const nodeByPublic = (host: string, port: number): string | undefined => byPublic.get(`${host}:${port}`);
  const leaderPublic = byName.get("n1")!.public.port;

  for (const n of nodes) {
    const conf =
      n.role === "data"
        ? renderRedisConf(
            {
              realPort: n.admin.port,
              publicPort: n.public.port,
              sourceAddress: n.sourceAddress,
              dir: n.dir,
              ...(n.name === "n1" ? {} : { replicaOfPublicPort: leaderPublic }),
            },
            o.store,
          )
        : renderSentinelConf(
            {
              realPort: n.admin.port,
              publicPort: n.public.port,
              sourceAddress: n.sourceAddress,
              dir: n.dir,
              leaderPublicPort: leaderPublic,
            },
            {
              masterName: MASTER_NAME,
              quorum: o.store.quorum,
              downAfterMs: o.store.downAfter,
              failoverTimeoutMs: o.store.failoverTimeout,
              parallelSyncs: o.store.followers,
            },
          );
    writeFileSync(join(n.dir, n.role === "data" ? "redis.conf" : "sentinel.conf"), conf);
  }

  const admin = new AdminConnections(new Map(nodes.map((n) => [n.name, n.admin])));
  stack.defer("admin connections", () => admin.close());
  const procs = new Map<string, LocalProcess>();
  stack.defer("processes", () => Promise.all([...procs.values()].map((p) => p.kill())));
  const binary = o.redisServer ?? "redis-server";

  const spawnNode = async (name: string): Promise<LocalProcess> => {
    const n = byName.get(name)!;
    const args =
      n.role === "data" ? [join(n.dir, "redis.conf")] : [join(n.dir, "sentinel.conf"), "--sentinel"];
    const p = await LocalProcess.start(
      { name, command: binary, args, cwd: n.dir, outputFile: join(n.dir, "stdout.log") },
      o.tag,
    );
    procs.set(name, p);
    return p;
  };
  const awaitPing = async (name: string, timeoutMs: number): Promise<void> => {
    const { value, lastError } = await pollUntil(
      async () => {
        const p = procs.get(name);
        if (p && !p.alive)
          throw new Error(
            `${name} exited (${JSON.stringify(p.exit)}); see ${join(byName.get(name)!.dir, "*.log")}`,
          );
        const r = await admin.command(name, "PING");
        return r === "PONG" ? true : undefined;
      },
      { timeoutMs, intervalMs: 20 },
    );
    if (!value) {
      throw new FaultlineError(
        "NODE_START_FAILED",
        `${name} did not answer PING within ${timeoutMs} ms: ${errText(lastError)}`,
        {
          details: { node: name, dir: byName.get(name)!.dir },
          hint: `see ${byName.get(name)!.dir}/*.log`,
        },
      );
    }
  };
  // Sentinel's DEBUG periods are not persisted, so they are applied after every start (spec §3).
  const tuneSentinel = async (name: string): Promise<void> => {
    await admin.command(name, "SENTINEL", "DEBUG", "info-period", 1000, "publish-period", 500);
  };
  const shape: ClusterShape = {
    masterName: MASTER_NAME,
    dataNodes: dataNames,
    sentinels: sentinelNames,
    nodeByPublic,
  };

  const deadline = t0 + (o.startTimeoutMs ?? 30_000);
  await Promise.all(dataNames.map(spawnNode));
  await Promise.all(dataNames.map((n) => awaitPing(n, deadline - Date.now())));
  phase("data-nodes");
  await Promise.all(sentinelNames.map(spawnNode));
  await Promise.all(
    sentinelNames.map(async (s) => (await awaitPing(s, deadline - Date.now()), await tuneSentinel(s))),
  );
  phase("failover-managers");
  const ready = await pollUntil(
    async () => {
      const h = await probeHealth(admin, shape, { probeWrite: true, sentinelsSeeEverything: true });
      if (h.ok) return h.leader;
      throw new Error(h.reason);
    },
    { timeoutMs: Math.max(0, deadline - Date.now()), intervalMs: 50 },
  );
  if (!ready.value) {
    throw new FaultlineError(
      "CLUSTER_NOT_READY",
      `the cluster was not ready within ${o.startTimeoutMs ?? 30_000} ms: ${errText(ready.lastError)}`,
      {
        details: { runDir: o.runDir },
        hint: `see the node logs in ${join(o.runDir, "nodes")}`,
      },
    );
  }
  const readyMs = Date.now() - t0;
  phase("ready");

  const clients: ClientEndpoints[] = o.clients.map((c) => ({
    name: c,
    endpoints: new Map(nodes.map((n) => [n.name, network.clientAddress(c, n.name)])),
  }));

  const record = (node: string, pid: number, signal?: string): ProcessFaultRecord =>
    signal === undefined ? { node, pid } : { node, pid, signal };
  const procOf = (node: string): LocalProcess => {
    const p = procs.get(node);
    if (!p) throw new Error(`unknown node ${node}`);
    return p;
  };
  let stopped: Promise<StoppedCluster> | undefined;
  const stop = (): Promise<StoppedCluster> => {
    stopped ??= stack.disposeAsync().then(() => ({ logs: collectLogs(nodes) }));
    return stopped;
  };
  const links: Partitionable | undefined = network.links;
  const cluster: StartedRedisCluster & Partial<Partitionable> = {
    nodes,
    clients,
    masterName: MASTER_NAME,
    network,
    admin,
    links,
    readyMs,
    nodeByPublic,
    pidOf: (node) => (procs.get(node)?.alive ? procs.get(node)!.pid : undefined),
    stop,
    [Symbol.asyncDispose]: async () => {
      await stop();
    },
    release() {
      admin.close();
      const pids: Record<string, number> = {};
      for (const [name, p] of procs) {
        if (p.alive) pids[name] = p.pid;
        p.detach();
      }
      if (proxyProcess) {
        pids.proxy = proxyProcess.pid;
        proxyProcess.detach();
      }
      stopped ??= Promise.resolve({ logs: collectLogs(nodes) });
      return { pids };
    },
    async kill(node) {
      const p = procOf(node);
      const pid = p.pid;
      await p.kill();
      admin.reset(node);
      return record(node, pid, "SIGKILL");
    },
    async restart(node) {
      const p = await spawnNode(node);
      admin.reset(node);
      await awaitPing(node, 10_000);
      if (byName.get(node)!.role === "failover-manager") await tuneSentinel(node);
      return record(node, p.pid);
    },
    isRunning: (node) => procs.get(node)?.alive ?? false,
    pause(node) {
      const p = procOf(node);
      p.signal("SIGSTOP");
      return Promise.resolve(record(node, p.pid, "SIGSTOP"));
    },
    resume(node) {
      const p = procOf(node);
      p.signal("SIGCONT");
      return Promise.resolve(record(node, p.pid, "SIGCONT"));
    },
    leader: () => sentinelLeader(admin, shape),
    async awaitHealthy(timeoutMs, signal) {
      const r = await pollUntil(
        async () => {
          const h = await probeHealth(admin, shape, { probeWrite: true });
          if (h.ok) return h.leader;
          throw new Error(h.reason);
        },
        { timeoutMs, intervalMs: 100, ...(signal ? { signal } : {}) },
      );
      if (r.value) return r.value;
      throw new FaultlineError(
        "CLUSTER_NOT_RECOVERED",
        `the cluster did not recover within ${timeoutMs} ms: ${errText(r.lastError)}`,
        {
          details: { runDir: o.runDir },
          hint: `see the node logs in ${join(o.runDir, "nodes")}; a longer --recovery-timeout may help`,
        },
      );
    },
  };
  if (links) {
    cluster.cutLinks = (rules: readonly LinkRule[]): Promise<LinkCut> => links.cutLinks(rules);
    cluster.heal = () => links.heal();
  }
  return cluster;
}

function collectLogs(nodes: readonly NodeInfo[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const n of nodes) {
    try {
      out.set(
        n.name,
        readdirSync(n.dir)
          .filter((f) => f.endsWith(".log"))
          .map((f) => join(n.dir, f)),
      );
    } catch {
      out.set(n.name, []);
    }
  }
  return out;
}

function errText(err: unknown): string {
  return err instanceof Error ? err.message : err === undefined ? "no answer" : String(err);
}
