/**
 * `harness/api`: faultline as a library — {@link run} one test as `faultline run` does, or {@link startCluster}
 * a disposable cluster to point your own code and tests at.
 */
export { run } from "./run.js";
export type { RunOptions, RunResult } from "./run.js";
export { startCluster } from "./start-cluster.js";
export type { ClusterOptions, ClusterNode, FaultlineCluster, LinkFault } from "./start-cluster.js";
