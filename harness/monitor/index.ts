export { startMonitor, describeEvent } from "./monitor.js";
export type { Monitor, MonitorTarget } from "./monitor.js";
