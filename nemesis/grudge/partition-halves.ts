import { InputError } from "../../core/errors/index.js";
import { blockedAcross, dealClients, shuffle } from "./blocked.js";
import type { GrudgeRandom, PartitionHalvesGrudge } from "./grudge.js";
import { assertTopology, servers, type Topology } from "./topology.js";

/**
 * The servers (data nodes and failover managers together) shuffled and cut into two halves, the smaller
 * ⌊S/2⌋ first, as Jepsen's `partition-random-halves`.
 *
 * Clients: dealt round-robin to the sides, larger side first (c1 to the larger side, c2 to the smaller, c3 to
 * the larger…), so both sides have clients and the side that can elect a leader has at least as many. A client
 * reaches exactly the servers of its side.
 *
 * @example
 * partitionHalves(topology, createRandom(7)); // e.g. n2, s1, s3, c2 | n1, n3, s2, c1, c3
 */
export function partitionHalves(topology: Topology, random: GrudgeRandom): PartitionHalvesGrudge {
  assertTopology(topology);
  const all = servers(topology);
  if (all.length < 2) {
    throw new InputError("BAD_GRUDGE", `partition-halves needs at least 2 servers, got ${all.length}`, {
      details: { topology },
    });
  }
  const shuffled = shuffle(random, all);
  const cut = Math.floor(all.length / 2);
  const [small, large] = dealClients(topology, [shuffled.slice(0, cut), shuffled.slice(cut)]);
  const components = [small!, large!] as const;
  return { kind: "partition-halves", topology, components, blocked: blockedAcross(topology, components) };
}
