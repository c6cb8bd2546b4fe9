/**
 * faultline's programmatic API. The CLI (`faultline …`) is built on the same exports.
 */
export { FaultlineError, InputError, ExitCode } from "./harness/errors/index.js";
export type { Op, OpType, Process, History } from "./checkers/history/index.js";
export type { CheckResult, Anomaly, Validity, Checker } from "./checkers/core/index.js";
export { compose, worst, safeCheck } from "./checkers/core/index.js";
