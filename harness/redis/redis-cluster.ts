import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type {
  ClientEndpoints,
  ClusterSpec,
  HasLeader,
  Killable,
  LinkCut,
  LinkRule,
  NodeInfo,
  Partitionable,
  Pausable,
  StartedCluster,
  StoppedCluster,
} from "../cluster/index.js";
import { allocatePorts, type RunTag } from "../backends/local/index.js";
import { pollUntil } from "../clock/index.js";
import { DisposalStack } from "../disposal/index.js";
import { FaultlineError } from "../errors/index.js";
import type { StoreConfig } from "../config/index.js";
import { directNetwork, startProxyProcess, wireProxyNetwork, type Network } from "../network/index.js";
import { AdminConnections } from "./admin-connections.js";
import { renderRedisConf, renderSentinelConf } from "./config-files.js";
import { probeHealth, sentinelLeader, type ClusterShape } from "./health.js";
import { NodeProcesses } from "./node-processes.js";

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

/** The phases of {@link redisSentinelCluster}'s start (`proxy` and `data-nodes` overlap). */
export type StartPhase = "proxy" | "data-nodes" | "network" | "failover-managers" | "ready";

/** A running Redis + Sentinel cluster with every ability the spine's nemeses use. */
export interface StartedRedisCluster extends StartedCluster, Killable, Pausable, HasLeader {
  /** The name Sentinels monitor the leader under. */
  readonly masterName: string;
  readonly network: Network;
  /** The harness's direct connections to every node. */
  readonly admin: AdminConnections;
  /** Link faults (present when links go through the proxy). */
  readonly links: Partitionable | undefined;
  /** How long start took, from the first port chosen to "really ready", in ms. */
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
  const deadline = t0 + (o.startTimeoutMs ?? 30_000);
  const dataNames = Array.from({ length: o.store.followers + 1 }, (_, i) => `n${i + 1}`);
  const sentinelNames = Array.from({ length: o.store.failoverManagers }, (_, i) => `s${i + 1}`);
  const names = [...dataNames, ...sentinelNames];
  const proxied = o.network === "proxy";
  // Public (proxy) ports are chosen up front, like the real ones, so every config file can name them and the
  // data nodes can start while the proxy process boots.
  const ports = await allocatePorts(names.length * (proxied ? 2 : 1));
  const nodes: NodeInfo[] = names.map((name, i) => {
    const real = { host: "127.0.0.1", port: ports[i]! };
    const data = i < dataNames.length;
    return {
      name,
      role: data ? "data" : "failover-manager",
      admin: real,
      public: proxied ? { host: "127.0.0.1", port: ports[names.length + i]! } : real,
      sourceAddress: data ? `127.0.1.${i + 1}` : `127.0.2.${i - dataNames.length + 1}`,
      dir: join(o.runDir, "nodes", name),
    };
  });
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const byPublic = new Map(nodes.map((n) => [`${n.public.host}:${n.public.port}`, n.name]));
  const nodeByPublic = (host: string, port: number): string | undefined => byPublic.get(`${host}:${port}`);
  const leaderPublic = byName.get("n1")!.public.port;
  writeConfigFiles(nodes, o, leaderPublic);

  const admin = new AdminConnections(new Map(nodes.map((n) => [n.name, n.admin])));
  stack.defer("admin connections", () => admin.close());
  const procs = new NodeProcesses(nodes, admin, o.tag, o.redisServer);
  stack.defer("processes", () => procs.killAll());

  const proxyDir = join(o.runDir, "nodes", "proxy");
  mkdirSync(proxyDir, { recursive: true });
  const proxyStart = proxied
    ? startProxyProcess({
        tag: o.tag,
        logFile: join(proxyDir, "proxy.log"),
        cwd: proxyDir,
        exitWithParent: o.keepProxyAfterHarness !== true,
      }).then((p) => (phase("proxy"), p))
    : undefined;
  // Marked handled here; a failed proxy start still rejects the Promise.all below.
  proxyStart?.catch(() => undefined);
  stack.defer("proxy", async () => (await proxyStart?.catch(() => undefined))?.process.kill());
  await Promise.all(dataNames.map((n) => procs.spawn(n)));
  const [proxy] = await Promise.all([
    proxyStart,
    ...dataNames.map((n) => procs.awaitPing(n, deadline - Date.now())),
  ]);
  phase("data-nodes");
  const plan = {
    nodes: nodes.map((n) => ({
      name: n.name,
      real: n.admin,
      sourceAddress: n.sourceAddress,
      publicPort: n.public.port,
    })),
    clients: o.clients,
  };
  const network: Network = proxy ? await wireProxyNetwork(plan, proxy) : directNetwork(plan);
  stack.defer("network", () => network.stop());
  phase("network");

  // Followers are pointed at the leader only now that its public address answers (a follower configured before
  // would wait for its next 1 s replication cron); CONFIG REWRITE keeps it in redis.conf for restarts.
  await Promise.all(
    dataNames.slice(1).map(async (f) => {
      await admin.command(f, "REPLICAOF", "127.0.0.1", leaderPublic);
      await admin.command(f, "CONFIG", "REWRITE");
    }),
  );
  // Sentinel's DEBUG periods are not persisted, so they are applied after every start (spec §3).
  const tuneSentinel = async (name: string): Promise<void> => {
    await admin.command(name, "SENTINEL", "DEBUG", "info-period", 1000, "publish-period", 500);
  };
  await Promise.all(sentinelNames.map((s) => procs.spawn(s)));
  await Promise.all(
    sentinelNames.map(async (s) => (await procs.awaitPing(s, deadline - Date.now()), await tuneSentinel(s))),
  );
  phase("failover-managers");
  const shape: ClusterShape = {
    masterName: MASTER_NAME,
    dataNodes: dataNames,
    sentinels: sentinelNames,
    nodeByPublic,
  };
  const [ready] = await Promise.all([
    pollUntil(
      async () => {
        const h = await probeHealth(admin, shape, { probeWrite: true, sentinelsSeeEverything: true });
        if (h.ok) return h.leader;
        throw new Error(h.reason);
      },
      { timeoutMs: Math.max(0, deadline - Date.now()), intervalMs: 50 },
    ),
    network.ready(),
  ]);
  if (!ready.value) {
    throw new FaultlineError(
      "CLUSTER_NOT_READY",
      `the cluster was not ready within ${o.startTimeoutMs ?? 30_000} ms: ${errText(ready.lastError)}`,
      { details: { runDir: o.runDir }, hint: `see the node logs in ${join(o.runDir, "nodes")}` },
    );
  }
  const readyMs = Date.now() - t0;
  phase("ready");

  const clients: ClientEndpoints[] = o.clients.map((c) => ({
    name: c,
    endpoints: new Map(nodes.map((n) => [n.name, network.clientAddress(c, n.name)])),
  }));
  let stopped: Promise<StoppedCluster> | undefined;
  const stop = (): Promise<StoppedCluster> => {
    stopped ??= stack.disposeAsync().then(() => ({ logs: collectLogs(nodes) }));
    return stopped;
  };
  const links = network.links;
  const cluster: StartedRedisCluster & Partial<Partitionable> = {
    nodes,
    clients,
    masterName: MASTER_NAME,
    network,
    admin,
    links,
    readyMs,
    nodeByPublic,
    pidOf: (node) => procs.pidOf(node),
    stop,
    [Symbol.asyncDispose]: async () => {
      await stop();
    },
    release() {
      admin.close();
      const pids = procs.detachAll();
      const p = proxy?.process;
      if (p) {
        pids.proxy = p.pid;
        p.detach();
      }
      stopped ??= Promise.resolve({ logs: collectLogs(nodes) });
      return { pids };
    },
    kill: (node) => procs.kill(node),
    async restart(node) {
      const p = await procs.spawn(node);
      await procs.awaitPing(node, 10_000);
      if (byName.get(node)!.role === "failover-manager") await tuneSentinel(node);
      return { node, pid: p.pid };
    },
    isRunning: (node) => procs.isRunning(node),
    pause: (node) => Promise.resolve(procs.signal(node, "SIGSTOP")),
    resume: (node) => Promise.resolve(procs.signal(node, "SIGCONT")),
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

/** Writes every node's fresh config file; followers get `replicaof` at run time (see above). */
function writeConfigFiles(nodes: readonly NodeInfo[], o: RedisClusterOptions, leaderPublic: number): void {
  for (const n of nodes) {
    mkdirSync(n.dir, { recursive: true });
    const layout = {
      realPort: n.admin.port,
      publicPort: n.public.port,
      sourceAddress: n.sourceAddress,
      dir: n.dir,
    };
    if (n.role === "data") {
      writeFileSync(join(n.dir, "redis.conf"), renderRedisConf(layout, o.store));
      continue;
    }
    const conf = renderSentinelConf(
      { ...layout, leaderPublicPort: leaderPublic },
      {
        masterName: MASTER_NAME,
        quorum: o.store.quorum,
        downAfterMs: o.store.downAfter,
        failoverTimeoutMs: o.store.failoverTimeout,
        parallelSyncs: o.store.followers,
      },
    );
    writeFileSync(join(n.dir, "sentinel.conf"), conf);
  }
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
