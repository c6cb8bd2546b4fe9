export { listAppendWorkload, resolveListAppendOptions } from "./list-append-workload.js";
export type { ListAppendWorkloadOptions } from "./list-append-workload.js";
export { listAppendGenerator } from "./list-append-generator.js";
export type {
  ListAppendGeneratorState,
  ListAppendGeneratorOptions,
  ActiveList,
} from "./list-append-generator.js";
