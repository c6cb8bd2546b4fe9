export type {
  Invocation,
  GeneratorContext,
  OpGenerator,
  RedisSession,
  WorkloadChecker,
  Workload,
} from "./workload.js";
export { WORKLOADS, workloadByName } from "./registry.js";
export { setWorkload, setGenerator } from "./set/index.js";
export type { SetWorkloadOptions } from "./set/index.js";
