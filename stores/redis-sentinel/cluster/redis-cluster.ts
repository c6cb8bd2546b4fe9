import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type {
  ClientEndpoints,
  ClusterSpec,
  HasLeader,
  Killable,
  LinkCut,
  LinkCutStyle,
  LinkDelayable,
  LinkRule,
  LinkToxicable,
  NodeInfo,
  Partitionable,
  Pausable,
  ProcessInspectable,
  StartedCluster,
  StoppedCluster,
} from "../../../core/cluster/index.js";
import type { LocalProcess, RunTag } from "../../../core/backends/local/index.js";
import { pollUntil } from "../../../core/clock/index.js";
import { DisposalStack } from "../../../core/disposal/index.js";
import { FaultlineError } from "../../../core/errors/index.js";
import type { RedisSettings } from "../settings.js";
import {
  directNetwork,
  wireProxyNetwork,
  type Network,
  type NetworkPlan,
} from "../../../nemesis/network/index.js";
import { AdminConnections } from "./admin-connections.js";
import { awaitPing, lostPortRace } from "./await-ping.js";
import { errText } from "./err-text.js";
import { renderRedisConf, renderSentinelConf } from "./config-files.js";
import { probeHealth, sentinelLeader, type ClusterShape } from "./health.js";
import { localNodeBackend } from "./local-node-backend.js";
import type { NodeBackendFactory, NodePlacement } from "./node-backend.js";

/** Options of {@link redisSentinelCluster}. */
export interface RedisClusterOptions {
  /** The run directory; nodes live in `<runDir>/nodes/<node>/`. */
  runDir: string;
  tag: RunTag;
  store: RedisSettings;
  /** Client names (`c1`…); each gets its own proxy listener per node. */
  clients: readonly string[];
  network: "proxy" | "direct";
  /** How long `start()` may take before it gives up (default 30 s). */
  startTimeoutMs?: number;
  /** The `redis-server` binary (default from PATH) of the default local backend. */
  redisServer?: string;
  /** Where the nodes run (default: local processes, {@link localNodeBackend}). */
  backend?: NodeBackendFactory;
  /** Keep the proxy running when the harness exits (for `--leave-running`); default false. */
  keepProxyAfterHarness?: boolean;
  /** Seed of the proxy's toxic draws (toxicity, jitter), a fork of the run's seed so a replay replays them. */
  proxySeed?: number;
  /**
   * Use this proxy server (a real Toxiproxy, or a faultline proxy started elsewhere) instead of starting one:
   * `--toxiproxy-url`. The run creates its proxies there and deletes them when it stops.
   */
  proxyUrl?: string;
  /** Called as start passes each phase, with ms since start began (for logs and the start benchmark). */
  onPhase?: (phase: StartPhase, ms: number) => void;
  /** Progress messages (a start tried again after a lost port race). */
  say?: (text: string) => void;
  /** How many times a start that lost a port race is made in all, with fresh ports each time (default 3). */
  portRaceAttempts?: number;
}

/** The phases of {@link redisSentinelCluster}'s start (`proxy` and `data-nodes` overlap). */
export type StartPhase = "proxy" | "data-nodes" | "network" | "failover-managers" | "ready";

/** A running Redis + Sentinel cluster with every ability the spine's nemeses use. */
export interface StartedRedisCluster extends StartedCluster, Killable, Pausable, HasLeader {
  /** Where the nodes run: `local` or `docker`. */
  readonly backend: string;
  /** The name Sentinels monitor the leader under. */
  readonly masterName: string;
  readonly network: Network;
  /** The harness's direct connections to every node. */
  readonly admin: AdminConnections;
  /** Link faults, cuts, latency and any toxic (present when links go through the proxy). */
  readonly links: (Partitionable & LinkDelayable & LinkToxicable) | undefined;
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
 * every peer. The started cluster is `Killable`, `Pausable`, `HasLeader`, and `Partitionable` and `LinkDelayable`
 * through the proxy.
 *
 * @example
 * await using cluster = await redisSentinelCluster({ runDir, tag, store, clients: ["c1"], network: "proxy" }).start();
 * const leader = await cluster.leader(); // "n1"
 */
export function redisSentinelCluster(options: RedisClusterOptions): ClusterSpec<StartedRedisCluster> {
  return { store: "redis-sentinel", start: () => startCluster(options) };
}

/**
 * Starts the cluster; a start that lost a port race (a port taken between the backend choosing it and a node or
 * the proxy binding it) is torn down and made again with fresh ports, up to `portRaceAttempts` times in all,
 * saying so each time.
 */
async function startCluster(o: RedisClusterOptions): Promise<StartedRedisCluster> {
  const attempts = Math.max(1, o.portRaceAttempts ?? 3);
  for (let attempt = 1; ; attempt++) {
    const stack = new DisposalStack();
    try {
      return await startInside(o, stack);
    } catch (err) {
      await stack.disposeAsync().catch(() => undefined);
      if (attempt >= attempts || !lostPortRace(err)) throw err;
      const node = (err as { details?: { node?: string } }).details?.node;
      const what = node
        ? `${node}'s port was taken by another process before ${node} bound it`
        : (err as Error).message.split("\n")[0];
      o.say?.(
        `start attempt ${attempt} of ${attempts} lost a port race (${what}); starting again with fresh ports`,
      );
    }
  }
}

async function startInside(o: RedisClusterOptions, stack: DisposalStack): Promise<StartedRedisCluster> {
  const t0 = Date.now();
  const phase = (p: StartPhase): void => o.onPhase?.(p, Date.now() - t0);
  const deadline = t0 + (o.startTimeoutMs ?? 30_000);
  const dataNames = Array.from({ length: o.store.followers + 1 }, (_, i) => `n${i + 1}`);
  const sentinelNames = Array.from({ length: o.store.failoverManagers }, (_, i) => `s${i + 1}`);
  const proxied = o.network === "proxy";
  const makeBackend =
    o.backend ?? localNodeBackend(o.redisServer !== undefined ? { redisServer: o.redisServer } : {});
  const backend = await makeBackend({
    runDir: o.runDir,
    tag: o.tag,
    dataNodes: dataNames,
    failoverManagers: sentinelNames,
    clients: o.clients,
    proxied,
    keepProxyAfterHarness: o.keepProxyAfterHarness === true,
    ...(o.proxySeed !== undefined ? { proxySeed: o.proxySeed } : {}),
  });
  stack.defer(`${backend.kind} backend`, () => backend.stop());
  const nodes: NodeInfo[] = backend.nodes.map((n) => ({
    name: n.name,
    role: n.role,
    admin: n.admin,
    public: n.public,
    sourceAddress: n.sourceAddress,
    dir: n.dir,
  }));
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const byPublic = new Map(nodes.map((n) => [`${n.public.host}:${n.public.port}`, n.name]));
  const nodeByPublic = (host: string, port: number): string | undefined => byPublic.get(`${host}:${port}`);
  const leaderPublic = byName.get("n1")!.public;
  writeConfigFiles(backend.nodes, o, leaderPublic);

  const admin = new AdminConnections(new Map(nodes.map((n) => [n.name, n.admin])));
  stack.defer("admin connections", () => admin.close());
  const startNode = async (
    name: string,
    env?: Readonly<Record<string, string>>,
  ): Promise<{ pid: number }> => {
    const started = await backend.start(name, env ? { env } : {});
    admin.reset(name);
    return started;
  };

  const startProxy = (): Promise<{ url: string; process?: LocalProcess; shared?: boolean }> =>
    o.proxyUrl !== undefined ? Promise.resolve({ url: o.proxyUrl, shared: true }) : backend.startProxy();
  const proxyStart = proxied ? startProxy().then((p) => (phase("proxy"), p)) : undefined;
  // Marked handled here; a failed proxy start still rejects the Promise.all below.
  proxyStart?.catch(() => undefined);
  await Promise.all(dataNames.map((n) => startNode(n)));
  const [proxy] = await Promise.all([
    proxyStart,
    ...dataNames.map((n) => awaitPing(admin, backend, n, deadline - Date.now())),
  ]);
  phase("data-nodes");
  const plan: NetworkPlan = {
    nodes: backend.nodes.map((n) => ({
      name: n.name,
      real: n.real,
      sourceAddress: n.sourceAddress,
      publicPort: n.public.port,
      reachable: n.admin,
    })),
    clients: o.clients,
    ...(backend.proxyListeners ? { listeners: backend.proxyListeners } : {}),
  };
  const network: Network = proxy ? await wireProxyNetwork(plan, proxy) : directNetwork(plan);
  stack.defer("network", () => network.stop());
  phase("network");

  // Followers are pointed at the leader only now that its public address answers (a follower configured before
  // would wait for its next 1 s replication cron); CONFIG REWRITE keeps it in redis.conf for restarts.
  await Promise.all(
    dataNames.slice(1).map(async (f) => {
      await admin.command(f, "REPLICAOF", leaderPublic.host, leaderPublic.port);
      await admin.command(f, "CONFIG", "REWRITE");
    }),
  );
  // Sentinel's DEBUG periods are not persisted, so they are applied after every start (spec §3).
  const tuneSentinel = async (name: string): Promise<void> => {
    await admin.command(name, "SENTINEL", "DEBUG", "info-period", 1000, "publish-period", 500);
  };
  await Promise.all(sentinelNames.map((s) => startNode(s)));
  await Promise.all(
    sentinelNames.map(
      async (s) => (await awaitPing(admin, backend, s, deadline - Date.now()), await tuneSentinel(s)),
    ),
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
    stopped ??= stack.disposeAsync().then(async () => ({ logs: await backend.logs() }));
    return stopped;
  };
  const links = network.links;
  const cluster: StartedRedisCluster &
    Partial<Partitionable & LinkDelayable & LinkToxicable & ProcessInspectable> = {
    nodes,
    clients,
    backend: backend.kind,
    masterName: MASTER_NAME,
    network,
    admin,
    links,
    readyMs,
    nodeByPublic,
    pidOf: (node) => backend.pidOf(node),
    stop,
    [Symbol.asyncDispose]: async () => {
      await stop();
    },
    release() {
      admin.close();
      const pids = backend.release();
      proxy?.process?.detach();
      stopped ??= backend.logs().then((logs) => ({ logs }));
      return { pids };
    },
    async kill(node) {
      const record = await backend.kill(node);
      admin.reset(node);
      return record;
    },
    async restart(node, options) {
      const p = await startNode(node, options?.env);
      await awaitPing(admin, backend, node, 10_000);
      if (byName.get(node)!.role === "failover-manager") await tuneSentinel(node);
      return { node, pid: p.pid };
    },
    isRunning: (node) => backend.isRunning(node),
    pause: (node) => backend.pause(node),
    resume: (node) => backend.resume(node),
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
    cluster.cutLinks = (rules: readonly LinkRule[], options?: { cut?: LinkCutStyle }): Promise<LinkCut> =>
      links.cutLinks(rules, options);
    Object.defineProperty(cluster, "granularity", { value: links.granularity, enumerable: true });
    cluster.addLinkToxics = (rules, toxic) => links.addLinkToxics(rules, toxic);
    cluster.linkFaults = () => links.linkFaults();
    cluster.heal = () => links.heal();
    cluster.delayLinks = (rules, latency) => links.delayLinks(rules, latency);
  }
  if (backend.inspect) {
    const inspect = backend.inspect.bind(backend);
    cluster.inspect = (node) => inspect(node);
  }
  return cluster;
}

/** Writes every node's fresh config file; followers get `replicaof` at run time (see above). */
function writeConfigFiles(
  nodes: readonly NodePlacement[],
  o: RedisClusterOptions,
  leaderPublic: { host: string; port: number },
): void {
  for (const n of nodes) {
    mkdirSync(n.dir, { recursive: true });
    const layout = {
      realPort: n.real.port,
      publicPort: n.public.port,
      sourceAddress: n.sourceAddress,
      dir: n.nodeDir,
      bind: n.bind,
      announceHost: n.public.host,
    };
    if (n.role === "data") {
      writeFileSync(join(n.dir, "redis.conf"), renderRedisConf(layout, o.store));
      continue;
    }
    const conf = renderSentinelConf(
      { ...layout, leaderPublicHost: leaderPublic.host, leaderPublicPort: leaderPublic.port },
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
