import { blockedAcross } from "./blocked.js";
import type { IsolateNodeGrudge } from "./grudge.js";
import { assertRole, assertTopology, endpoints, type Topology } from "./topology.js";

/**
 * One data node or failover manager against every other endpoint, clients included: it reaches nobody and
 * nobody reaches it. Isolating a follower stops its replication; isolating a failover manager takes its vote away.
 *
 * @example
 * isolateNode(topology, "n2"); // n2 | n1, n3, s1, s2, s3, c1, c2, c3
 */
export function isolateNode(topology: Topology, node: string): IsolateNodeGrudge {
  assertTopology(topology);
  assertRole(topology, node, ["node", "manager"], "the isolated node");
  const components = [[node], endpoints(topology).filter((n) => n !== node)] as const;
  return { kind: "isolate-node", topology, node, components, blocked: blockedAcross(topology, components) };
}
