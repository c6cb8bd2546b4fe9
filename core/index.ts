export { durationMs } from "./duration.js";
export { durationField } from "./duration-field.js";
