export type { Topology, Role } from "./topology.js";
export { servers, endpoints, roleOf, assertTopology } from "./topology.js";
export type {
  DirectedPair,
  GrudgeRandom,
  GrudgeBase,
  Grudge,
  GrudgeKind,
  CompleteGrudge,
  PartitionLeaderGrudge,
  IsolateNodeGrudge,
  PartitionHalvesGrudge,
  MajoritiesRingGrudge,
  RingView,
  PartitionBridgeGrudge,
  OneWayGrudge,
} from "./grudge.js";
export { reaches } from "./grudge.js";
export { completeGrudge } from "./complete-grudge.js";
export { partitionLeader } from "./partition-leader.js";
export type { PartitionLeaderOptions } from "./partition-leader.js";
export { isolateNode } from "./isolate-node.js";
export { partitionHalves } from "./partition-halves.js";
export { partitionMajoritiesRing } from "./partition-majorities-ring.js";
export { partitionBridge } from "./partition-bridge.js";
export type { PartitionBridgeOptions } from "./partition-bridge.js";
export { oneWay } from "./one-way.js";
export { describeGrudge } from "./describe-grudge.js";
export { grudgeToLinkRules, canInitiate } from "./link-rules.js";
export type { LinkRule, LinkRuleOptions, Stream } from "./link-rules.js";
