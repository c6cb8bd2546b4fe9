export { setWorkload, setGenerator } from "./set-workload.js";
export type { SetWorkloadOptions } from "./set-workload.js";
