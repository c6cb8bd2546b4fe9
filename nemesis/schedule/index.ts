export type { ScheduleStep, Schedule } from "./schedule.js";
export { cycleSchedule, take } from "./schedule.js";
