export { followerReadsWorkload, resolveFollowerReadsOptions } from "./follower-reads-workload.js";
export type { FollowerReadsWorkloadOptions } from "./follower-reads-workload.js";
export { followerReadsGenerator } from "./follower-reads-generator.js";
export type { FollowerReadsGeneratorOptions } from "./follower-reads-generator.js";
