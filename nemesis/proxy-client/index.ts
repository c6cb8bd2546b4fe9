/**
 * Client for faultline's proxy extension routes, and detection of which kind of proxy server a URL points at.
 * Standard Toxiproxy routes: use `toxiproxy-node-client`.
 */
export { FaultlineProxyClient } from "./faultline-proxy-client.js";
export type { NewLinkToxic, EventPage } from "./faultline-proxy-client.js";
export { detectFaultlineServer } from "./detect.js";
export type { ProxyServerKind } from "./detect.js";
export { DEFAULT_TIMEOUT_MS } from "./request.js";
