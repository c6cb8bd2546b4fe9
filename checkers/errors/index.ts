/**
 * faultline's error classes: a code, the values and a hint (STYLE.md §9). Their own component, below both
 * `checkers/history` and `checkers/core`, so that every component can throw them without an import cycle.
 */
export { FaultlineError, InputError, isFaultlineError } from "./errors.js";
