export { connectDocker } from "./docker-client.js";
export { LABELS, runLabels, ownerOf } from "./labels.js";
export { chooseSubnet, hostAddress, parseCidr } from "./subnet.js";
export { demux, saveContainerOutput } from "./container-logs.js";
export { reapDocker, listLabelled } from "./reap-docker.js";
export type { LabelledObject } from "./reap-docker.js";
export { httpGet } from "./http-probe.js";
export { createRunNetwork, bridgeOnThisHost, engineOverNetwork } from "./run-network.js";
export type { RunNetwork } from "./run-network.js";
export { watchContainerDeaths } from "./watch-deaths.js";
export { startRunReaper, REAPER_SCRIPT } from "./run-reaper.js";
export type { RunReaper, RunReaperOptions } from "./run-reaper.js";
export {
  PROXY_API_PORT,
  proxyContainerSpec,
  removeRunNetwork,
  startProxyContainer,
  startRunReaperOrWarn,
} from "./proxy-container.js";
export type { RunContainerContext } from "./proxy-container.js";
