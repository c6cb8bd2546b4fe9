export type { Validity, Anomaly, CheckResult, Checker, ComposedResult } from "./result.js";
export { worst, safeCheck, compose } from "./result.js";
