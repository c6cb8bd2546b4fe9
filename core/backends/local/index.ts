export { LocalProcess, NODE_ENV_KEY } from "./local-process.js";
export type { LocalProcessSpec, ProcessExit } from "./local-process.js";
export { HarnessWatchdog, WATCHDOG_SCRIPT } from "./harness-watchdog.js";
export type { HarnessWatchdogOptions, WatchedPidFile } from "./harness-watchdog.js";
export { allocatePorts } from "./ports.js";
export type { PortRange } from "./ports.js";
export { RUN_TAG_ENV, runTagEnv, runTagForThisProcess, processStartTime } from "./run-tag.js";
export type { RunTag } from "./run-tag.js";
export { logFilesOf } from "./log-files.js";
