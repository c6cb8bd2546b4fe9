import { InputError } from "../../core/errors/index.js";
import { blockedWhere, inTopologyOrder } from "./blocked.js";
import type { OneWayGrudge } from "./grudge.js";
import { assertRole, assertTopology, type Topology } from "./topology.js";

/**
 * A one-way cut: no endpoint of `from` can send to any endpoint of `to`, while every `to` still reaches every
 * `from`. Over TCP that means requests go unanswered one way and replies one way, e.g. a follower that receives
 * the leader's replication stream but whose acknowledgements never arrive (`from: [follower], to: [leader]`),
 * which `min-replicas-to-write` sees as lag (spec §1.4). An endpoint never blocks itself, and client→client
 * pairs (no such link) are never listed.
 *
 * Only a blackhole cut expresses this: `refuse` resets whole connections, which stops both directions.
 *
 * @example
 * oneWay(topology, ["n2"], ["n1"]); // n2 -/-> n1
 */
export function oneWay(topology: Topology, from: readonly string[], to: readonly string[]): OneWayGrudge {
  assertTopology(topology);
  for (const name of [...from, ...to]) {
    assertRole(topology, name, ["node", "manager", "client"], "a one-way cut end");
  }
  if (from.length === 0 || to.length === 0) {
    throw new InputError("BAD_GRUDGE", "a one-way cut needs at least one endpoint on each end", {
      details: { from, to },
    });
  }
  const f = inTopologyOrder(topology, from);
  const t = inTopologyOrder(topology, to);
  const blocked = blockedWhere(topology, (a, b) => f.includes(a) && t.includes(b));
  return { kind: "one-way", topology, from: f, to: t, blocked };
}
