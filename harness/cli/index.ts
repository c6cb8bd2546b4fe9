export { buildProgram, runCli, reportError, setExitCode, parseDuration } from "./program.js";
export type { RegisterCommand } from "./commands/index.js";
