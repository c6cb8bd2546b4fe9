/**
 * `stores/simulated`: an in-process simulated single-leader store for testing faultline itself (the run loop, the
 * nemesis, the checkers and the report end to end in seconds). Not a real store.
 */
export { simulatedStore, SIMULATED_REPLICATION_GRAMMAR } from "./adapter.js";
export { SimulatedSettingsSchema, SIMULATED_DEFAULTS, SIMULATED_FLAGS } from "./settings.js";
export type { SimulatedSettings } from "./settings.js";
export { startSimulatedStore } from "./started-store.js";
export type { StartedSimulatedStore } from "./started-store.js";
export { simulatedClient } from "./client.js";
export type { SimulatedClientOptions } from "./client.js";
export { startSimulatedMonitor, replicationPositions } from "./monitor.js";
export { SimWorld, TICK_MS } from "./sim-cluster.js";
export type { ManagerEvent } from "./manager.js";
