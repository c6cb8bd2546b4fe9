export { checkSetFull } from "./check-set-full.js";
export { setFullChecker } from "./set-full-definition.js";
export type {
  SetFullOptions,
  SetFullDetails,
  SetFullResult,
  At,
  ElementOutcome,
  ElementRecord,
  LostRecord,
  StaleRecord,
  DuplicateRecord,
  FailedButPresentRecord,
  UnexpectedRecord,
} from "./set-full-result.js";
