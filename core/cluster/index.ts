export type {
  NodeRole,
  NodeInfo,
  ClientEndpoints,
  StartedCluster,
  StoppedCluster,
  ClusterSpec,
  ProcessFaultRecord,
  Killable,
  Pausable,
  HasLeader,
  LinkRule,
  LinkCut,
  Partitionable,
  LinkLatency,
  LinkDelayable,
  RestartOptions,
  LinkCutStyle,
  LinkToxic,
  LinkToxicable,
  ProcessInspection,
  ProcessInspectable,
} from "./cluster.js";
export {
  isKillable,
  isPausable,
  hasLeader,
  isPartitionable,
  canDelayLinks,
  canAddLinkToxics,
  isProcessInspectable,
} from "./cluster.js";
export { noopCluster } from "./noop-cluster.js";
export { validatingCluster, ClusterContractError } from "./validating-cluster.js";
