export { redisSentinelCluster } from "./redis-cluster.js";
export type { RedisClusterOptions, StartedRedisCluster, StartPhase } from "./redis-cluster.js";
export { AdminConnections } from "./admin-connections.js";
export { renderRedisConf, renderSentinelConf } from "./config-files.js";
export type { RedisNodeSettings, RedisNodeLayout, SentinelSettings, SentinelLayout } from "./config-files.js";
export { parseInfo, parseReplication, sentinelRecords, healthyFlags } from "./info.js";
export type { ReplicationInfo } from "./info.js";
export { probeHealth, sentinelLeader, sentinelLeaderVotes } from "./health.js";
export type { ClusterShape, HealthProbe } from "./health.js";
export { localNodeBackend } from "./local-node-backend.js";
export { logFilesOf } from "../../../core/backends/local/index.js";
export { inspectProcess } from "./inspect-process.js";
export type {
  NodeBackend,
  NodeBackendFactory,
  NodeBackendRequest,
  NodePlacement,
  BackendProxy,
} from "./node-backend.js";
