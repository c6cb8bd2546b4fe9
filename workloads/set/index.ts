export { setWorkload, setGenerator, SET_READ_EVERY } from "./set-workload.js";
export type { SetWorkloadOptions } from "./set-workload.js";
