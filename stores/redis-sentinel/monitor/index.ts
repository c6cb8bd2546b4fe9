export { startMonitor, describeEvent } from "./monitor.js";
export type { Monitor, MonitorTarget } from "./monitor.js";
export { replicationOffsets } from "./replication-offsets.js";
export type { ReplicationOffsets, FollowerOffset } from "./replication-offsets.js";
export { monitorAttached, MONITOR_CONNECTION_NAME } from "./await-attached.js";
