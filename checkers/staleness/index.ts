export { checkStaleness } from "./check-staleness.js";
export { stalenessChecker } from "./staleness-definition.js";
export type {
  StalenessOptions,
  StalenessStats,
  SessionViolation,
  StalenessDetails,
  StalenessResult,
} from "./staleness-result.js";
