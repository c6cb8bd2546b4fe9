import { InputError } from "../../core/errors/index.js";
import { blockedWhere, dealClients, shuffle } from "./blocked.js";
import type { GrudgeRandom, PartitionBridgeGrudge } from "./grudge.js";
import { assertRole, assertTopology, servers, type Topology } from "./topology.js";

/** Options of {@link partitionBridge}. */
export interface PartitionBridgeOptions {
  /** The bridge server; default: one chosen at random. */
  readonly bridge?: string;
}

/**
 * Jepsen's `bridge`: the servers split in two halves that cannot reach each other, plus one bridge server
 * that keeps both directions open to everyone. Without the bridge, the other servers are shuffled and cut
 * ⌊(S−1)/2⌋ | ⌈(S−1)/2⌉. Clients are dealt round-robin to the two sides, larger side first; each reaches its side
 * and the bridge.
 *
 * @example
 * partitionBridge(topology, random, { bridge: "s2" }); // e.g. n1, s1, c1, c3 | n2, n3, s3, c2; bridge s2
 */
export function partitionBridge(
  topology: Topology,
  random: GrudgeRandom,
  options: PartitionBridgeOptions = {},
): PartitionBridgeGrudge {
  assertTopology(topology);
  const all = servers(topology);
  if (all.length < 3) {
    throw new InputError("BAD_GRUDGE", `partition-bridge needs at least 3 servers, got ${all.length}`, {
      details: { topology },
    });
  }
  if (options.bridge !== undefined) assertRole(topology, options.bridge, ["node", "manager"], "the bridge");
  const shuffled = shuffle(random, all);
  const bridge = options.bridge ?? (shuffled[0] as string);
  const others = shuffled.filter((s) => s !== bridge);
  const cut = Math.floor(others.length / 2);
  const [a, b] = dealClients(topology, [others.slice(0, cut), others.slice(cut)]);
  const components = [a!, b!] as const;
  const side = new Map<string, number>();
  components.forEach((members, i) => members.forEach((m) => side.set(m, i)));
  // The bridge has no side: every pair that involves it stays open.
  const blocked = blockedWhere(
    topology,
    (x, y) => x !== bridge && y !== bridge && side.get(x) !== side.get(y),
  );
  return { kind: "partition-bridge", topology, bridge, components, blocked };
}
