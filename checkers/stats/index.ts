export { checkStats, statsChecker } from "./check-stats.js";
export type { StatsOptions, StatsCount, StatsDetails, StatsResult } from "./check-stats.js";
