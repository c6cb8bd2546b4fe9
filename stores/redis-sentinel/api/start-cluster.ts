import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RedisOptions } from "ioredis";
import { runTagForThisProcess } from "../../../core/backends/local/index.js";
import {
  canAddLinkToxics,
  canDelayLinks,
  isPartitionable,
  type LinkCut,
  type LinkRule,
  type LinkToxic,
  type ProcessFaultRecord,
} from "../../../core/cluster/index.js";
import { sleep } from "../../../core/clock/index.js";
import { FaultlineError, InputError } from "../../../core/errors/index.js";
import { reap } from "../../../core/backends/reaper/index.js";
import { redisSentinelCluster, type StartedRedisCluster } from "../cluster/index.js";
import { RedisSettingsSchema, type RedisSettings } from "../settings.js";
import { redisSentinel } from "../adapter.js";
import { timestamp } from "../../../core/run-store/index.js";
import {
  completeGrudge,
  grudgeToLinkRules,
  isolateNode,
  partitionLeader as partitionLeaderGrudge,
  type Grudge,
  type Topology,
} from "../../../nemesis/grudge/index.js";

/** Options of {@link startCluster}: the store's shape and timings (the CLI's store flags), and the clients. */
export interface ClusterOptions {
  /** Followers next to the leader (default 2). */
  followers?: number;
  /** Failover managers, i.e. Sentinels (default 3). */
  failoverManagers?: number;
  /** Managers that must agree the leader is down (default: a majority). */
  quorum?: number;
  /** Sentinel `down-after-milliseconds` (default 1000). */
  downAfterMs?: number;
  /** Sentinel `failover-timeout` (default 3000, at least 2000). */
  failoverTimeoutMs?: number;
  persistence?: "none" | "aof-everysec" | "aof-always";
  minReplicasToWrite?: number;
  minReplicasMaxLag?: number;
  /** Client names (each gets its own proxy listener per node, so its links can be cut alone); default `["c1"]`. */
  clients?: readonly string[];
  /** `proxy` (default): every link through faultline's proxy; `direct`: no proxy, no link faults. */
  network?: "proxy" | "direct";
  /** Where node files and logs go (default: a fresh temporary directory, removed when the cluster stops). */
  dir?: string;
  /** Keep the directory when the cluster stops (default false for a temporary one). */
  keepDir?: boolean;
  signal?: AbortSignal;
}

/** A node as user code addresses it. */
export interface ClusterNode {
  name: string;
  role: "data" | "failover-manager";
  /** The address other nodes use (a proxy listener with `network: "proxy"`). */
  host: string;
  port: number;
}

/** A link fault in effect; `heal()` removes exactly it. */
export interface LinkFault {
  readonly rules: readonly LinkRule[];
  heal(): Promise<void>;
}

/**
 * A running Redis + Sentinel cluster for your own tests, every link through faultline's proxy. Dispose of it
 * (`await using`, or `stop()`) to stop every process and remove every listener.
 */
export interface FaultlineCluster extends AsyncDisposable {
  /** The name Sentinels monitor the leader under (ioredis `name`). */
  readonly masterName: string;
  readonly nodes: readonly ClusterNode[];
  readonly clients: readonly string[];
  /** Node files and logs. */
  readonly dir: string;
  /**
   * ioredis options that reach the cluster as client `client` (default the first): Sentinel mode through that
   * client's proxy listeners, with the `natMap` that maps every announced address to them. Merge your own
   * options (timeouts, retries) over them: `new Redis({ ...cluster.ioredisOptions(), commandTimeout: 500 })`.
   */
  ioredisOptions(client?: string): Pick<RedisOptions, "name" | "sentinels" | "natMap" | "connectionName">;
  /** The leader a majority of the Sentinels name now, or `undefined` when they do not agree. */
  leader(): Promise<string | undefined>;
  /** Waits for one agreed leader that accepts writes with every follower connected; resolves with it. */
  awaitHealthy(timeoutMs?: number): Promise<string>;
  /** Waits until the Sentinels name a leader other than `previous`; resolves with it. */
  awaitNewLeader(previous: string, timeoutMs?: number): Promise<string>;
  kill(node: string): Promise<ProcessFaultRecord>;
  restart(node: string): Promise<ProcessFaultRecord>;
  pause(node: string): Promise<ProcessFaultRecord>;
  resume(node: string): Promise<ProcessFaultRecord>;
  /** Cuts every link between the groups (each endpoint — node, Sentinel, client — in exactly one group). */
  partition(groups: readonly (readonly string[])[]): Promise<LinkFault>;
  /** Cuts one node or Sentinel off from everyone. */
  isolate(node: string): Promise<LinkFault>;
  /** Jepsen's Redis partition: the current leader (with `withClients`) cut off from everyone else. */
  partitionLeader(options?: { withClients?: readonly string[] }): Promise<LinkFault & { leader: string }>;
  /** Adds latency to the given links (e.g. `{ source: "n2", destination: "n1", stream: "upstream" }`). */
  delayLinks(rules: readonly LinkRule[], latencyMs: number, jitterMs?: number): Promise<LinkFault>;
  /** Any Toxiproxy toxic (`bandwidth`, `timeout`, `slicer`, …) on the given links. */
  addLinkToxic(rules: readonly LinkRule[], toxic: LinkToxic): Promise<LinkFault>;
  /** Removes every link fault. */
  heal(): Promise<void>;
  /** Stops everything (idempotent). */
  stop(): Promise<void>;
}

/**
 * Starts a real Redis + Sentinel cluster (leader `n1`, followers `n2…`, Sentinels `s1…`) with every link through
 * faultline's proxy, for tests of your own code: point ioredis at it, then kill, pause, partition or slow down
 * nodes and links, and see what your code does. The same cluster `faultline run` uses; its processes are tagged
 * so a later run reaps them if this process dies.
 *
 * @example
 * await using cluster = await startCluster({ clients: ["app"] });
 * const redis = new Redis({ ...cluster.ioredisOptions("app"), maxRetriesPerRequest: 1 });
 * const cut = await cluster.partitionLeader({ withClients: ["app"] });
 * // … what does the app see?
 * await cut.heal();
 */
export async function startCluster(options: ClusterOptions = {}): Promise<FaultlineCluster> {
  const clients = [...(options.clients ?? ["c1"])];
  if (
    clients.length === 0 ||
    new Set(clients).size !== clients.length ||
    clients.some((c) => !/^[A-Za-z][\w-]*$/.test(c))
  ) {
    throw new InputError(
      "BAD_OPTION",
      `clients must be distinct names like "c1" or "app", got ${JSON.stringify(clients)}`,
    );
  }
  // The store's own schema validates the settings and fills in the CLI's defaults.
  const given: Record<string, unknown> = {
    kind: "redis-sentinel",
    followers: options.followers,
    failoverManagers: options.failoverManagers,
    quorum: options.quorum,
    downAfter: options.downAfterMs,
    failoverTimeout: options.failoverTimeoutMs,
    persistence: options.persistence,
    minReplicasToWrite: options.minReplicasToWrite,
    minReplicasMaxLag: options.minReplicasMaxLag,
  };
  for (const k of Object.keys(given)) if (given[k] === undefined) delete given[k];
  const settings = redisSettings(given);
  const network = options.network ?? "proxy";
  const temporary = options.dir === undefined;
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), "faultline-cluster-"));
  await reap();
  const runId = `cluster/${timestamp(new Date())}-${process.pid}`;
  let cluster: StartedRedisCluster;
  try {
    cluster = await redisSentinelCluster({
      runDir: dir,
      tag: runTagForThisProcess(runId, dir),
      store: settings,
      clients,
      network,
    }).start(options.signal ? { signal: options.signal } : {});
  } catch (err) {
    if (temporary && !options.keepDir) rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const topology: Topology = {
    nodes: cluster.nodes.filter((n) => n.role === "data").map((n) => n.name),
    managers: cluster.nodes.filter((n) => n.role === "failover-manager").map((n) => n.name),
    clients,
  };
  const needLinks = (what: string): never => {
    throw new FaultlineError(
      "NO_LINK_FAULTS",
      `${what} needs the proxy: start the cluster with network: "proxy"`,
    );
  };
  const cut = async (grudge: Grudge): Promise<LinkFault> => {
    if (!isPartitionable(cluster)) return needLinks("a partition");
    const handle: LinkCut = await cluster.cutLinks(grudgeToLinkRules(grudge, { prune: true }));
    return { rules: handle.rules, heal: () => handle.heal() };
  };
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= cluster.stop().then(() => {
      if (temporary && !options.keepDir) rmSync(dir, { recursive: true, force: true });
    });
    return stopped;
  };
  const endpointsOf = (client: string) => {
    const c = cluster.clients.find((x) => x.name === client);
    if (!c)
      throw new InputError(
        "BAD_OPTION",
        `no client ${JSON.stringify(client)}; clients: ${clients.join(", ")}`,
      );
    return c.endpoints;
  };
  const awaitNewLeader = async (previous: string, timeoutMs = 30_000): Promise<string> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const now = await cluster.leader().catch(() => undefined);
      if (now !== undefined && now !== previous) return now;
      if (Date.now() > deadline) {
        throw new FaultlineError(
          "NO_FAILOVER",
          `the Sentinels did not name a leader other than ${previous} within ${timeoutMs} ms`,
        );
      }
      await sleep(100);
    }
  };
  return {
    masterName: cluster.masterName,
    nodes: cluster.nodes.map((n) => ({
      name: n.name,
      role: n.role === "data" ? ("data" as const) : ("failover-manager" as const),
      host: n.public.host,
      port: n.public.port,
    })),
    clients,
    dir,
    ioredisOptions(client = clients[0]!) {
      const ep = endpointsOf(client);
      const byPublic = new Map(cluster.nodes.map((n) => [`${n.public.host}:${n.public.port}`, n.name]));
      return {
        name: cluster.masterName,
        sentinels: topology.managers.map((m) => ({ host: ep.get(m)!.host, port: ep.get(m)!.port })),
        natMap: (key: string) => {
          const node = byPublic.get(key);
          return node ? { host: ep.get(node)!.host, port: ep.get(node)!.port } : null;
        },
        connectionName: client,
      };
    },
    leader: () => cluster.leader(),
    awaitHealthy: (timeoutMs = 30_000) => cluster.awaitHealthy(timeoutMs),
    awaitNewLeader,
    kill: (node) => cluster.kill(node),
    restart: (node) => cluster.restart(node),
    pause: (node) => cluster.pause(node),
    resume: (node) => cluster.resume(node),
    partition: (groups) => cut(completeGrudge(topology, groups)),
    isolate: (node) => cut(isolateNode(topology, node)),
    async partitionLeader(o = {}) {
      const leader = await cluster.leader();
      if (leader === undefined)
        throw new FaultlineError("NO_LEADER", "the Sentinels do not agree on a leader");
      const fault = await cut(
        partitionLeaderGrudge(topology, leader, { clients: [...(o.withClients ?? [])] }),
      );
      return { ...fault, leader };
    },
    async delayLinks(rules, latencyMs, jitterMs = 0) {
      if (!canDelayLinks(cluster)) return needLinks("link latency");
      const h = await cluster.delayLinks(rules, { latencyMs, jitterMs });
      return { rules: h.rules, heal: () => h.heal() };
    },
    async addLinkToxic(rules, toxic) {
      if (!canAddLinkToxics(cluster)) return needLinks("a link toxic");
      const h = await cluster.addLinkToxics(rules, toxic);
      return { rules: h.rules, heal: () => h.heal() };
    },
    async heal() {
      if (isPartitionable(cluster)) await cluster.heal();
    },
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

/** Validates `startCluster`'s store options with the store's schema; a problem names the field (`store.followers`). */
function redisSettings(given: Record<string, unknown>): RedisSettings {
  const parsed = RedisSettingsSchema.safeParse(given);
  const problems = parsed.success
    ? redisSentinel.check(parsed.data as RedisSettings)
    : parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message }));
  if (!parsed.success || problems.length > 0) {
    const text = problems.map((p) => `store.${p.path.join(".")}: ${p.message}`).join("; ");
    throw new InputError("BAD_OPTION", `bad startCluster() options: ${text}`, { details: { problems } });
  }
  return redisSentinel.replication.reconcile("async", parsed.data as RedisSettings).settings;
}
