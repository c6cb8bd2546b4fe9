export { CLOCK_SHIM_SOURCE } from "./clock-shim-source.js";
export { buildClockShim, CLOCK_SHIM_STEM } from "./build-clock-shim.js";
export type { BuildClockShimOptions } from "./build-clock-shim.js";
export { ClockControl, isClockShim } from "./clock-control.js";
export type { ClockSkew } from "./clock-control.js";
