export { connectDocker } from "./docker-client.js";
export { dockerNodeBackend } from "./docker-node-backend.js";
export type { DockerBackendOptions } from "./docker-node-backend.js";
export {
  dockerLayout,
  hostPortCount,
  NODE_DIR,
  DATA_PORT,
  SENTINEL_PORT,
  PROXY_API_PORT,
} from "./docker-layout.js";
export type { DockerLayout } from "./docker-layout.js";
export { LABELS, runLabels, ownerOf } from "./labels.js";
export { chooseSubnet, hostAddress, parseCidr } from "./subnet.js";
export { demux } from "./container-logs.js";
export { reapDocker, listLabelled } from "./reap-docker.js";
export type { LabelledObject } from "./reap-docker.js";
