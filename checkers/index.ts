/**
 * The checkers component's public surface: the history model, the checker contract and registry, and the checkers.
 * Each checker is also reachable by name through the registry (`runCheckers`, `faultline check --checker`).
 */
export type {
  Op,
  OpType,
  Process,
  History,
  ParsedHistory,
  ParseHistoryOptions,
  TruncatedLine,
  HistorySource,
  Outcome,
  PairedOp,
  EdnValue,
} from "./history/index.js";
export {
  isClientProcess,
  parseHistoryLine,
  parseHistory,
  readHistory,
  validateHistory,
  HistoryStructure,
  pairOps,
  readEdn,
  printEdn,
  fromJepsenEdn,
  toJepsenEdn,
} from "./history/index.js";
export type {
  Validity,
  Anomaly,
  CheckResult,
  Checker,
  ComposedResult,
  Budget,
  BudgetOptions,
  Quantiles,
  CheckContext,
  CheckerDefinition,
  OptionSpec,
  OutcomeCount,
} from "./core/index.js";
export {
  worst,
  safeCheck,
  compose,
  OutOfBudget,
  startBudget,
  quantiles,
  resolveCheckerOptions,
} from "./core/index.js";
export type { CheckerSpec, PreparedChecker } from "./registry/index.js";
export {
  checkerNames,
  findChecker,
  getChecker,
  prepareCheckers,
  runCheckers,
  runChecker,
  registeredCheckers,
} from "./registry/index.js";
export type { SetOptions, SetDetails, SetResult } from "./set/index.js";
export { checkSet, setChecker } from "./set/index.js";
export type { SetFullOptions, SetFullDetails, SetFullResult } from "./set-full/index.js";
export { checkSetFull, setFullChecker } from "./set-full/index.js";
export type { CounterOptions, CounterDetails, CounterResult } from "./counter/index.js";
export { checkCounter, counterChecker } from "./counter/index.js";
export type { StatsOptions, StatsDetails, StatsResult } from "./stats/index.js";
export { checkStats, statsChecker } from "./stats/index.js";
export type { StalenessOptions, StalenessDetails, StalenessResult } from "./staleness/index.js";
export { checkStaleness, stalenessChecker } from "./staleness/index.js";
export type { SplitBrainOptions, SplitBrainDetails, SplitBrainResult } from "./split-brain/index.js";
export { checkSplitBrain, splitBrainChecker } from "./split-brain/index.js";
// linearizable and list-append: their authors add their exports here.
