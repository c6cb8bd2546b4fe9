export type { Clock, ManualClock } from "./clock.js";
export { monotonicClock, manualClock } from "./clock.js";
export { sleep, pollUntil } from "./sleep.js";
