export { buildProgram, runCli, reportError } from "./program.js";
export { setExitCode } from "./set-exit-code.js";
export { parseDuration } from "./parse-duration.js";
export type { RegisterCommand } from "./commands/index.js";
