export type {
  Invocation,
  GeneratorContext,
  OpGenerator,
  ListMop,
  WorkloadChecker,
  Workload,
} from "./workload.js";
export { OpNotApplied } from "./workload.js";
export { WORKLOADS, workloadByName } from "./registry.js";
export { setWorkload, setGenerator, SET_READ_EVERY } from "./set/index.js";
export type { SetWorkloadOptions } from "./set/index.js";
export { registerWorkload, registerGenerator, resolveRegisterOptions } from "./register/index.js";
export type {
  RegisterWorkloadOptions,
  RegisterGeneratorState,
  RegisterGeneratorOptions,
} from "./register/index.js";
export { listAppendWorkload, listAppendGenerator, resolveListAppendOptions } from "./list-append/index.js";
export type {
  ListAppendWorkloadOptions,
  ListAppendGeneratorState,
  ListAppendGeneratorOptions,
  ActiveList,
} from "./list-append/index.js";
export { counterWorkload, counterGenerator, resolveCounterOptions } from "./counter/index.js";
export type { CounterWorkloadOptions, CounterGeneratorOptions } from "./counter/index.js";
export {
  followerReadsWorkload,
  followerReadsGenerator,
  resolveFollowerReadsOptions,
} from "./follower-reads/index.js";
export type { FollowerReadsWorkloadOptions, FollowerReadsGeneratorOptions } from "./follower-reads/index.js";
