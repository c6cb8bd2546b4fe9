export type {
  Invocation,
  GeneratorContext,
  OpGenerator,
  RedisSession,
  WorkloadChecker,
  Workload,
} from "./workload.js";
export { OpNotApplied } from "./workload.js";
export { WORKLOADS, workloadByName } from "./registry.js";
export { setWorkload, setGenerator, SET_READ_EVERY } from "./set/index.js";
export type { SetWorkloadOptions } from "./set/index.js";
export { registerWorkload, registerGenerator, resolveRegisterOptions, CAS_SCRIPT } from "./register/index.js";
export type {
  RegisterWorkloadOptions,
  RegisterGeneratorState,
  RegisterGeneratorOptions,
} from "./register/index.js";
export {
  listAppendWorkload,
  listAppendGenerator,
  resolveListAppendOptions,
  runTransaction,
} from "./list-append/index.js";
export type {
  ListAppendWorkloadOptions,
  ListAppendGeneratorState,
  ListAppendGeneratorOptions,
  ActiveList,
  ListMop,
} from "./list-append/index.js";
export { counterWorkload, counterGenerator, resolveCounterOptions } from "./counter/index.js";
export type { CounterWorkloadOptions, CounterGeneratorOptions } from "./counter/index.js";
export {
  followerReadsWorkload,
  followerReadsGenerator,
  resolveFollowerReadsOptions,
  WRITE_VERSION_SCRIPT,
} from "./follower-reads/index.js";
export type { FollowerReadsWorkloadOptions, FollowerReadsGeneratorOptions } from "./follower-reads/index.js";
