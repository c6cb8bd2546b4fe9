export {
  RunConfigSchema,
  StoreConfigSchema,
  CheckerRefSchema,
  NEMESES,
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
} from "./schema.js";
export { RUN_FLAGS, flagName, flagAttribute } from "./flags.js";
export type { FlagSpec, FlagKind } from "./flags.js";
export { resolveRunConfig } from "./resolve.js";
export type { RunConfigSources } from "./resolve.js";
export { loadConfigFile } from "./load-file.js";
export { durationMs } from "../../core/index.js";
