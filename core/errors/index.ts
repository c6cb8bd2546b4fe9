// The error classes are defined in checkers/errors (checkers must not import the harness, and both throw them);
// the harness re-exports them so every other component has one place to import errors from.
export { FaultlineError, InputError, isFaultlineError } from "../../checkers/errors/index.js";
export { ExitCode } from "./exit-code.js";
