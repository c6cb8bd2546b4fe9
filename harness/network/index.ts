export type { Address, Network, NetworkPlan, ProxyListeners } from "./network.js";
export { directNetwork } from "./direct-network.js";
export { wireProxyNetwork, clientProxyName } from "./proxy-network.js";
export { startProxyProcess, listeningUrl } from "./proxy-process.js";
export { packageRoot } from "./package-root.js";
export { proxyLinkLatency } from "./link-latency.js";
