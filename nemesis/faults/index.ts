export { killLeader } from "./kill-leader.js";
export { partitionLeader } from "./partition-leader.js";
export type { PartitionLeaderOptions } from "./partition-leader.js";
