/**
 * The checkers component's public surface: the history model, the checker contract and registry, and the checkers.
 * Each checker is also reachable by name through the registry (`runCheckers`, `faultline check --checker`).
 * Published as `faultline/checkers` (no cluster, no store client: only pure functions from a history to a verdict),
 * and its main entry points from `faultline` itself.
 *
 * @example
 * ```ts
 * import { checkLinearizable, type Op } from "faultline/checkers";
 *
 * const history: Op[] = [
 *   { index: 0, time: 0, process: 0, type: "invoke", f: "write", value: 1 },
 *   { index: 1, time: 1, process: 0, type: "ok", f: "write", value: 1 },
 *   { index: 2, time: 2, process: 1, type: "invoke", f: "read", value: null },
 *   { index: 3, time: 3, process: 1, type: "ok", f: "read", value: 0 },
 * ];
 * checkLinearizable(history, { model: "register", initial: 0 }).valid; // false: the read missed the write
 * ```
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
  Semantics,
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
  SEMANTICS,
  isSemantics,
  semanticsOfFile,
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
export type {
  LinearizableOptions,
  LinearizableResult,
  LinearizableDetails,
  LinearizableCheckerOptions,
  Counterexample,
  KeyResult,
  Model,
  AnyModel,
  Call,
  CallType,
  Operation,
  StepResult,
  Effect,
  ModelName,
  ModelOptions,
} from "./linearizable/index.js";
export {
  checkLinearizable,
  linearizableChecker,
  createModel,
  withSemantics,
  models,
  isModelName,
  ModelInputError,
  ILLEGAL,
  legal,
  createRegisterModel,
  createCasRegisterModel,
  createMultiRegisterModel,
  createMutexModel,
} from "./linearizable/index.js";
export type {
  ListAppendOptions,
  ListAppendResult,
  ListAppendDetails,
  ListAppendAnomaly,
  ListAppendAnomalyKind,
  ConsistencyModel,
} from "./list-append/index.js";
export { checkListAppend, listAppendChecker, CONSISTENCY_MODELS } from "./list-append/index.js";
