export { counterWorkload, resolveCounterOptions } from "./counter-workload.js";
export type { CounterWorkloadOptions } from "./counter-workload.js";
export { counterGenerator } from "./counter-generator.js";
export type { CounterGeneratorOptions } from "./counter-generator.js";
