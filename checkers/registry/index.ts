export type { CheckerSpec, PreparedChecker } from "./registry.js";
export {
  checkerNames,
  findChecker,
  getChecker,
  prepareCheckers,
  runCheckers,
  runChecker,
} from "./registry.js";
export { registeredCheckers } from "./entries.js";
export type { CheckerResults, TypedResult } from "./typed-results.js";
export { typedResults, resultOf, checkerNameOf } from "./typed-results.js";
