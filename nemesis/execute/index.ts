export { startWindow } from "./start-window.js";
export { windowToxic } from "./start-link-fault.js";
export { topologyOf } from "./window-context.js";
export type { WindowContext } from "./window-context.js";
export { windowOpName } from "./window-op-name.js";
export { scheduleNemesis } from "./schedule-nemesis.js";
export type { WindowRef } from "./schedule-nemesis.js";
export { scheduleSteps } from "./schedule-steps.js";
