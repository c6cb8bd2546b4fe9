export { FaultlineError, InputError, isFaultlineError } from "./faultline-error.js";
export { ExitCode } from "./exit-code.js";
