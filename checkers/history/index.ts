export type { Op, OpType, Process, History } from "./op.js";
export { isClientProcess } from "./op.js";
export type { LineLocation } from "./parse-history-line.js";
export {
  parseHistoryLine,
  validateOpObject,
  historyError,
  OP_TYPES,
  JSONL_HINT,
} from "./parse-history-line.js";
export { HistoryStructure, validateHistory } from "./history-structure.js";
export type { ParsedHistory, ParseHistoryOptions, TruncatedLine } from "./history-builder.js";
export { HistoryBuilder } from "./history-builder.js";
export { parseHistory } from "./parse-history.js";
export type { HistorySource } from "./read-history.js";
export { readHistory } from "./read-history.js";
export type { Outcome, PairedOp } from "./pair-ops.js";
export { pairOps } from "./pair-ops.js";
export type { EdnValue } from "./edn/edn-value.js";
export { EdnKeyword, EdnSymbol, EdnList, EdnMap, EdnSet, EdnTagged, kw } from "./edn/edn-value.js";
export type { EdnForm } from "./edn/edn-reader.js";
export { readEdn } from "./edn/edn-reader.js";
export { printEdn } from "./edn/edn-printer.js";
export { fromJepsenEdn, toJepsenEdn, jsonToEdn } from "./edn/jepsen-edn.js";
export { ednToJson, EDN_HINT } from "./edn/jepsen-op.js";
export type { Semantics } from "./semantics.js";
export { SEMANTICS, isSemantics, semanticsOfFile } from "./semantics.js";
export type { FinalPhase } from "./final-phase.js";
export { finalPhaseOf, inFinalPhase, hasClientOps, RUN_START_F, FINAL_PHASE_F } from "./final-phase.js";
