/**
 * `checkers/list-append`: Elle-style anomaly checker for transactions of list appends and whole-list reads
 * (one transaction of appends and whole-list reads at the store). See `types.ts` for the history contract and `models.ts` for which
 * consistency models each anomaly rules out.
 */
export { checkListAppend } from "./check.js";
export { listAppendChecker } from "./definition.js";
export type { ListAppendResult } from "./check.js";
export type { ListAppendAnomaly, ListAppendCycleAnomaly } from "./findings.js";
export { isCycleAnomaly } from "./findings.js";
export { CONSISTENCY_MODELS, ANOMALY_KINDS, modelsRuledOutBy, kindsProhibitedBy } from "./models.js";
export type {
  AppendMop,
  BaseCycleKind,
  ConsistencyModel,
  CycleKind,
  CycleStep,
  DirectKind,
  EdgeType,
  Element,
  Key,
  ListAppendAnomalyKind,
  ListAppendDetails,
  ListAppendOptions,
  MicroOp,
  ReadMop,
  TxnOutcome,
  TxnView,
} from "./types.js";
