export type { ScheduleStep, Schedule } from "./cycle-schedule.js";
export { cycleSchedule, take } from "./cycle-schedule.js";
export { cycleWindows } from "./cycle-windows.js";
export type { CycledFault, CycleWindowsOptions } from "./cycle-windows.js";
