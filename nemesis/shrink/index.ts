export { anomalyKinds } from "./anomaly-kinds.js";
export { shrinkRun, describeAttempt } from "./shrink-run.js";
export type { AttemptOutcome, AttemptReport, ShrinkRunOptions } from "./shrink-run.js";
