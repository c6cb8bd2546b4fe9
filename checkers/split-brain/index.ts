export { checkSplitBrain } from "./check-split-brain.js";
export { splitBrainChecker } from "./split-brain-definition.js";
export type {
  SplitBrainOptions,
  SplitBrainDetails,
  SplitBrainEpisode,
  SplitBrainResult,
  LeaderReport,
  Point,
} from "./split-brain-result.js";
