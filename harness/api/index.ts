/**
 * `harness/api`: faultline as a library — {@link run} one test as `faultline run` does. Disposable clusters for
 * your own tests come from each store (`stores/`).
 */
export { run } from "./run.js";
export type { RunOptions, RunResult } from "./run.js";
