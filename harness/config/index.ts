export {
  RunConfigSchema,
  StoreConfigSchema,
  CheckerRefSchema,
  NEMESES,
  PERSISTENCE,
  WORKLOADS,
  NETWORKS,
  BACKENDS,
  DOCKER_IMAGE_SOURCES,
  DockerConfigSchema,
} from "./schema.js";
export { RUN_DEFAULTS } from "./defaults.js";
export type {
  RunConfigInput,
  ParsedRunConfig,
  ResolvedRunConfig,
  StoreConfig,
  DockerConfig,
  CheckerRef,
  NemesisName,
  Persistence,
} from "./schema.js";
export { RUN_FLAGS, flagName, flagAttribute } from "./flags.js";
export type { FlagSpec, FlagKind } from "./flags.js";
export { resolveRunConfig } from "./resolve.js";
export type { RunConfigSources } from "./resolve.js";
export { loadConfigFile } from "./load-file.js";
export { durationMs } from "../duration/index.js";
export {
  parseReplicationMode,
  formatReplicationMode,
  replicationModeOf,
  reconcileReplication,
  replicationProblem,
  REPLICATION_GRAMMAR,
} from "./replication-mode.js";
export type { ReplicationMode } from "./replication-mode.js";
