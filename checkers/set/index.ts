export { checkSet } from "./check-set.js";
export type {
  SetOptions,
  SetDetails,
  SetResult,
  LostElement,
  FailedButPresent,
  FinalRead,
} from "./set-result.js";
export { setChecker } from "./set-definition.js";
