/**
 * `stores/redis-sentinel`: the Redis 7 + Sentinel store adapter, and the parts of it that tests, benchmarks and
 * users' own code reach for (the cluster with its abilities, the client, the monitor, the disposable test cluster).
 */
export { redisSentinel, clusterLayout } from "./adapter.js";
export { REDIS_FLAGS, REDIS_DEFAULTS, RedisSettingsSchema, PERSISTENCE } from "./settings.js";
export type { RedisSettings } from "./settings.js";
export * from "./cluster/index.js";
export * from "./client/index.js";
export * from "./monitor/index.js";
export * from "./ops/index.js";
export {
  parseReplicationMode,
  formatReplicationMode,
  replicationModeOf,
  reconcileReplication,
  replicationProblem,
  REPLICATION_GRAMMAR,
} from "./replication-mode.js";
export type { ReplicationMode } from "./replication-mode.js";
export { startCluster } from "./api/start-cluster.js";
export type { ClusterOptions, ClusterNode, FaultlineCluster, LinkFault } from "./api/start-cluster.js";
export { dockerNodeBackend } from "./docker/docker-node-backend.js";
export { proxyContainerSpec, nodeContainerSpec } from "./docker/container-specs.js";
export { REDIS_IMAGES, redisImageStager } from "./docker/redis-image.js";
export type { DockerBackendOptions } from "./docker/docker-node-backend.js";
export {
  dockerLayout,
  hostPortCount,
  NODE_DIR,
  DATA_PORT,
  SENTINEL_PORT,
  PROXY_API_PORT,
} from "./docker/docker-layout.js";
export type { DockerLayout } from "./docker/docker-layout.js";
