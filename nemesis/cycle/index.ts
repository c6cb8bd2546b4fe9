export type { ScheduleStep, Schedule } from "./cycle-schedule.js";
export { cycleSchedule, take } from "./cycle-schedule.js";
