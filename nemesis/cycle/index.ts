export type { ScheduleStep, Schedule } from "./schedule-step.js";
export { cycleWindows } from "./cycle-windows.js";
export type { CycledFault, CycleWindowsOptions } from "./cycle-windows.js";
