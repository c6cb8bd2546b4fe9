import type { ClusterLayout, StartedStore, StoreAdapter, StoreClusterRequest } from "../store.js";
import { redisClient } from "./client/index.js";
import { redisSentinelCluster, type StartedRedisCluster } from "./cluster/index.js";
import { nodeBackendFor } from "./docker/node-backend-for.js";
import { REDIS_IMAGES, redisImageStager } from "./docker/redis-image.js";
import { monitorAttached, proxyProbe, startMonitor } from "./monitor/index.js";
import { REDIS_OPS } from "./ops/index.js";
import {
  formatReplicationMode,
  parseReplicationMode,
  reconcileReplication,
  REPLICATION_GRAMMAR,
  replicationModeOf,
  replicationProblem,
} from "./replication-mode.js";
import { REDIS_FLAGS, RedisSettingsSchema, type RedisSettings } from "./settings.js";

/**
 * The Redis 7 + Sentinel store (spec `redis-sentinel.md`): one leader `n1`, followers `n2…`, Sentinels `s1…` as
 * failover managers, every process binding its outgoing connections to its own loopback address and announcing
 * its proxy port, so every link can be cut on its own.
 */
export const redisSentinel: StoreAdapter<RedisSettings> = {
  kind: "redis-sentinel",
  description:
    "Redis 7 leader + followers with Redis Sentinel as failover manager; replication async, wait:N:MS or " +
    "min-replicas:N:LAG",
  settings: RedisSettingsSchema,
  flags: REDIS_FLAGS,
  check(s) {
    const problems: { path: string[]; message: string }[] = [];
    if (s.minReplicasToWrite > s.followers) {
      problems.push({
        path: ["minReplicasToWrite"],
        message: `cannot exceed the number of followers (${s.followers}): no write could ever succeed`,
      });
    }
    if (s.quorum !== undefined && s.quorum > s.failoverManagers) {
      problems.push({
        path: ["quorum"],
        message: `cannot exceed the number of failover managers (${s.failoverManagers})`,
      });
    }
    return problems;
  },
  shape: (s) => ({ nodes: s.followers + 1, managers: s.failoverManagers }),
  describe: (s) => `${s.followers + 1} data nodes and ${s.failoverManagers} failover managers (Sentinels)`,
  replication: {
    grammar: REPLICATION_GRAMMAR,
    canonical(text) {
      const parsed = parseReplicationMode(text);
      return "error" in parsed ? parsed : { text: formatReplicationMode(parsed.mode) };
    },
    problem(text, s, run) {
      const parsed = parseReplicationMode(text);
      if ("error" in parsed) return parsed.error;
      return replicationProblem(parsed.mode, { ...s, opTimeout: run.opTimeoutMs });
    },
    reconcile(text, s) {
      const { replication, ...minReplicas } = reconcileReplication(text, s);
      return {
        replication,
        settings: { ...s, ...minReplicas, quorum: s.quorum ?? Math.floor(s.failoverManagers / 2) + 1 },
      };
    },
  },
  workloads: Object.keys(REDIS_OPS),
  // Spec §2: clients connect to data nodes (commands) and to Sentinels (discovery); data nodes only to data nodes
  // (replication, and any node may lead after a failover); Sentinels to every data node and every other Sentinel.
  connects: (from, to) => to !== "client" && (from !== "node" || to === "node"),
  backends: ["local", "docker"],
  images: { ...REDIS_IMAGES, stager: redisImageStager },
  cluster(request) {
    return {
      store: "redis-sentinel",
      async start() {
        const backend = await nodeBackendFor(request);
        const cluster = await redisSentinelCluster({
          runDir: request.runDir,
          tag: request.tag,
          store: request.settings,
          clients: request.clients,
          network: request.network,
          keepProxyAfterHarness: request.keepProxyAfterHarness,
          say: request.say,
          ...(backend ? { backend } : {}),
          ...(request.proxyUrl !== undefined ? { proxyUrl: request.proxyUrl } : {}),
          ...(request.proxySeed !== undefined ? { proxySeed: request.proxySeed } : {}),
        }).start();
        return asStartedStore(cluster, request);
      },
    };
  },
};

/** Gives a started Redis cluster the store members the run loop uses (its abilities stay as they are). */
function asStartedStore(
  cluster: StartedRedisCluster,
  request: StoreClusterRequest<RedisSettings>,
): StartedStore & StartedRedisCluster {
  const mode = replicationModeOf({ replication: request.replication });
  const { network } = cluster;
  const extra: Omit<StartedStore, keyof StartedRedisCluster> = {
    kind: "redis-sentinel",
    proxy:
      network.apiUrl !== undefined && network.proxyServer !== undefined
        ? { apiUrl: network.apiUrl, server: network.proxyServer }
        : undefined,
    layout: () => clusterLayout(cluster),
    client: (clientName, options) =>
      redisClient({
        topology: {
          masterName: cluster.masterName,
          nodes: cluster.nodes,
          endpoints: cluster.clients.find((c) => c.name === clientName)!,
        },
        workload: options.workload,
        commandTimeoutMs: options.opTimeoutMs,
        replication: mode,
      }),
    startMonitor: (sink) => startMonitor(cluster, sink, { proxy: proxyProbe(cluster.network) }),
    async monitorAttached(node) {
      const isManager = cluster.nodes.some((n) => n.name === node && n.role === "failover-manager");
      await monitorAttached(cluster.admin, node, { isManager });
    },
  };
  return Object.assign(cluster, extra);
}

/** The cluster's layout for `config.json`: every node's real and public port, each client's listeners, the proxy. */
export function clusterLayout(c: StartedRedisCluster): ClusterLayout {
  return {
    masterName: c.masterName,
    backend: c.backend,
    proxy: c.network.apiUrl ?? null,
    nodes: c.nodes.map((n) => ({
      name: n.name,
      role: n.role,
      port: n.admin.port,
      publicPort: n.public.port,
      source: n.sourceAddress,
    })),
    clients: Object.fromEntries(
      c.clients.map((cl) => [
        cl.name,
        Object.fromEntries([...cl.endpoints].map(([node, a]) => [node, a.port])),
      ]),
    ),
  };
}
