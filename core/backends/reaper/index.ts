export {
  scanTaggedProcesses,
  harnessAlive,
  keptOnPurpose,
  reap,
  killRunSync,
  LEAVE_RUNNING_MARKER,
} from "./reaper.js";
export type { TaggedProcess, ReapSelection } from "./reaper.js";
