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
export type {
  ProxyEvent,
  ProxyEventKind,
  LinkIdentityJson,
  SourceResolverJson,
  ConnectionOpenedJson,
} from "./event-log.js";
export type { SourceBy } from "./connection.js";
export {
  OwnerResolver,
  realProc,
  DEFAULT_NODE_ENV_KEY,
  RUN_ID_ENV_KEY,
  DEFAULT_OWNER_TIMEOUT_MS,
} from "./source-owner.js";
export type {
  ProcSource,
  OwnerResolverOptions,
  OwnerResolution,
  OwnerUnknownReason,
  AcceptedEnds,
} from "./source-owner.js";
export type { ProxySpec, ConnectionJson } from "./proxy-registry.js";
export type { ProxyJson } from "./proxy.js";
export type { ToxicJson, LinkToxicJson } from "./toxic-definition.js";
export type { ToxicType, LinkToxicType, Stream } from "./toxic-types.js";
export { UNKNOWN_SOURCE } from "./link-rules.js";
export { seededDraws } from "./toxic-draws.js";
export type { ToxicDraws, DrawKey, DrawUse } from "./toxic-draws.js";
