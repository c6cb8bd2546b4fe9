/**
 * faultline's fault proxy: a Toxiproxy 2.12-compatible HTTP API and TCP data path, with per-link rules on top
 * (EXTENSIONS.md). Drive the standard routes with `toxiproxy-node-client`; the extension routes with
 * `nemesis/proxy-client`.
 */
export {
  startProxyServer,
  versionBody,
  plainVersionBody,
  TOXIPROXY_API_VERSION,
} from "./start-proxy-server.js";
export type {
  ProxyServerOptions,
  StartedProxyServer,
  StoppedProxyServer,
  ProxyEventEmitter,
} from "./start-proxy-server.js";
export { loadProxyConfig, parseProxyConfig } from "./proxy-config.js";
export { EVENT_RING_SIZE } from "./event-log.js";
export { API_LIMITS } from "./api-limits.js";
export type { ProxyEvent, ProxyEventKind, LinkIdentityJson } from "./event-log.js";
export type { ProxySpec, ConnectionJson } from "./proxy-registry.js";
export type { ProxyJson } from "./proxy.js";
export type { ToxicJson, LinkToxicJson } from "./toxic-definition.js";
export type { ToxicType, LinkToxicType, Stream } from "./toxic-types.js";
export { UNKNOWN_SOURCE } from "./link-rules.js";
export { seededDraws } from "./toxic-draws.js";
export type { ToxicDraws, DrawKey, DrawUse } from "./toxic-draws.js";
