export { registerWorkload, resolveRegisterOptions } from "./register-workload.js";
export type { RegisterWorkloadOptions } from "./register-workload.js";
export { registerGenerator } from "./register-generator.js";
export type { RegisterGeneratorState, RegisterGeneratorOptions } from "./register-generator.js";
