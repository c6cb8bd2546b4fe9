export { scanTaggedProcesses, harnessAlive, keptOnPurpose, reap, LEAVE_RUNNING_MARKER } from "./reaper.js";
export type { TaggedProcess, ReapSelection } from "./reaper.js";
