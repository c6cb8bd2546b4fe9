/** `harness/serve`: `faultline serve`, a results browser over a store directory. */
export { startResultsServer } from "./results-server.js";
export { isLoopback, isLoopbackHostHeader } from "./loopback.js";
export type { ResultsServerOptions, StartedResultsServer } from "./results-server.js";
export { scanStore } from "./store-index.js";
export type { StoreIndex, RunEntry, CampaignEntry } from "./store-index.js";
export { resolveInside } from "./safe-path.js";
export type { PathProblem } from "./safe-path.js";
export { renderStoreIndex, fileUrl } from "./render-index.js";
