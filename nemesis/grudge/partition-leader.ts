import { InputError } from "../../core/errors/index.js";
import { blockedAcross, inTopologyOrder } from "./blocked.js";
import type { PartitionLeaderGrudge } from "./grudge.js";
import { assertRole, assertTopology, endpoints, type Topology } from "./topology.js";

/** Options of {@link partitionLeader}. */
export interface PartitionLeaderOptions {
  /**
   * The clients that stay with the leader. Default: the first ⌈N/2⌉−1 of the N clients (c1 of c1…c3), a
   * minority, so that most clients are on the side that elects a new leader and a few keep writing to the old
   * one: the writes that a failover can lose.
   */
  readonly clients?: readonly string[];
}

/**
 * The leader and a group of clients against everything else: the other data nodes, every failover manager and
 * the other clients. The failover managers on the majority side promote a follower while the old leader keeps accepting
 * writes from its clients (spec §3.3).
 *
 * @example
 * partitionLeader(topology, "n1"); // n1, c1 | n2, n3, s1, s2, s3, c2, c3
 */
export function partitionLeader(
  topology: Topology,
  leader: string,
  options: PartitionLeaderOptions = {},
): PartitionLeaderGrudge {
  assertTopology(topology);
  assertRole(topology, leader, ["node"], "the leader");
  const withLeader =
    options.clients ?? topology.clients.slice(0, Math.max(0, Math.ceil(topology.clients.length / 2) - 1));
  for (const c of withLeader) assertRole(topology, c, ["client"], "a client that stays with the leader");
  if (new Set(withLeader).size !== withLeader.length) {
    throw new InputError(
      "BAD_GRUDGE",
      `the leader's clients name one client twice: ${withLeader.join(", ")}`,
      {
        details: { clients: withLeader },
      },
    );
  }
  const side = inTopologyOrder(topology, [leader, ...withLeader]);
  const rest = endpoints(topology).filter((n) => !side.includes(n));
  const components = [side, rest] as const;
  return {
    kind: "partition-leader",
    topology,
    leader,
    components,
    blocked: blockedAcross(topology, components),
  };
}
