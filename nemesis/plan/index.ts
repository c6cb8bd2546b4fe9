export { planSchedule } from "./plan-schedule.js";
export type { SchedulePlanInput } from "./plan-schedule.js";
export { perDestinationProblem, assertFitsPerDestination } from "./proxy-fit.js";
export { assertProxyServerFits } from "./proxy-server-fit.js";
