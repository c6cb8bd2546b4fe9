/**
 * faultline's programmatic API. The CLI (`faultline …`) is built on the same exports.
 */
export { FaultlineError, InputError, ExitCode } from "./core/errors/index.js";
export type { Op, OpType, Process, History } from "./checkers/history/index.js";
export { readHistory, fromJepsenEdn, toJepsenEdn } from "./checkers/history/index.js";
export type { CheckResult, Anomaly, Validity, Checker } from "./checkers/core/index.js";
export { compose, worst, safeCheck } from "./checkers/core/index.js";
// Checking a history from your own code (everything else is in `faultline/checkers`, which loads no harness code).
export type {
  Semantics,
  LinearizableOptions,
  LinearizableResult,
  Model,
  ModelName,
  ModelOptions,
  ListAppendOptions,
  ListAppendResult,
  ConsistencyModel,
  CheckerSpec,
  ComposedResult,
} from "./checkers/index.js";
export {
  checkLinearizable,
  checkListAppend,
  checkSet,
  checkSetFull,
  checkCounter,
  checkStats,
  checkStaleness,
  checkSplitBrain,
  createModel,
  runCheckers,
  prepareCheckers,
  runChecker,
  parseHistory,
} from "./checkers/index.js";
// Runs from your own code and tests (harness/api).
export { run } from "./harness/api/index.js";
export type { RunOptions, RunResult } from "./harness/api/index.js";
// The stores faultline tests, behind one interface (stores/, docs/stores.md), and the first store's disposable
// test cluster.
export { STORES, storeAdapter, storeKinds, DEFAULT_STORE } from "./stores/index.js";
export type { StoreAdapter, StoreSettings, StartedStore, StoreMonitor } from "./stores/index.js";
export { startCluster } from "./stores/redis-sentinel/index.js";
export type {
  ClusterOptions,
  ClusterNode,
  FaultlineCluster,
  LinkFault,
} from "./stores/redis-sentinel/index.js";
export type { LinkRule, LinkToxic } from "./core/cluster/index.js";
// Campaigns, the results browser, and what CI reads (results.json's schema, JUnit XML).
export { runCampaign, loadCampaign } from "./harness/campaign/index.js";
export type { CampaignResults, CampaignCellResult, CampaignOutcome } from "./harness/campaign/index.js";
export { startResultsServer } from "./harness/serve/index.js";
export type { StartedResultsServer, ResultsServerOptions } from "./harness/serve/index.js";
export { validateRunResults, resultsJsonSchema, RunResultsSchema } from "./harness/results/index.js";
export type { RunResults } from "./harness/results/index.js";
