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
} from "./cluster.js";
export { isKillable, isPausable, hasLeader, isPartitionable, canDelayLinks } from "./cluster.js";
export { noopCluster } from "./noop-cluster.js";
export { validatingCluster, ClusterContractError } from "./validating-cluster.js";
