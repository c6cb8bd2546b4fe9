export { checkCounter } from "./check-counter.js";
export { counterChecker } from "./counter-definition.js";
export type { CounterOptions, CounterDetails, CounterResult, OutOfBoundsRead } from "./counter-result.js";
