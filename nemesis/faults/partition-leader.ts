import { hasLeader, isManagerRole, isPartitionable } from "../../core/cluster/index.js";
import { FaultNotApplied, type ActiveFault, type Fault, type FaultContext } from "../core/index.js";
import {
  describeGrudge,
  grudgeToLinkRules,
  partitionLeader as partitionLeaderGrudge,
} from "../grudge/index.js";

/** Options of {@link partitionLeader}. */
export interface PartitionLeaderOptions {
  /**
   * How many clients stay with the leader, chosen at random (seeded) each time the fault fires; default half of
   * them rounded down, at least one (so some acknowledged writes can be lost).
   */
  clientsWithLeader?: (clientCount: number) => number;
}

/**
 * `partition-leader`: cuts every link between {the current leader + a group of clients} and everything else
 * (the followers, every failover manager, the other clients) — blackhole cuts on both streams of every
 * connection that crosses (the grudge and its link rules come from `nemesis/grudge`) — and heals exactly those
 * cuts when it stops. The isolated leader keeps acknowledging its clients' writes while the majority elects a
 * new leader: Jepsen's classic split-brain scenario.
 *
 * @example
 * const active = await partitionLeader().start(ctx);
 * // active.value: { leader: "n1", withLeader: ["n1", "c2", "c4"], others: [...], links: ["n1->n2", …] }
 */
export function partitionLeader(options: PartitionLeaderOptions = {}): Fault {
  const share = options.clientsWithLeader ?? ((n: number) => Math.max(1, Math.floor(n / 2)));
  return {
    name: "partition-leader",
    async start(ctx: FaultContext): Promise<ActiveFault> {
      const { cluster } = ctx;
      if (!isPartitionable(cluster) || !hasLeader(cluster)) {
        throw new FaultNotApplied(
          "this cluster cannot cut links (partitions need the proxy) or name its leader",
        );
      }
      const leader = await cluster.leader();
      if (leader === undefined) throw new FaultNotApplied("the failover managers do not agree on a leader");
      const topology = {
        nodes: cluster.nodes.filter((n) => n.role === "data").map((n) => n.name),
        managers: cluster.nodes.filter((n) => isManagerRole(n.role)).map((n) => n.name),
        clients: [...ctx.clients],
      };
      const k = Math.min(ctx.clients.length, share(ctx.clients.length));
      const clients = ctx.random.shuffle(ctx.clients).slice(0, k);
      const grudge = partitionLeaderGrudge(topology, leader, { clients });
      const rules = grudgeToLinkRules(grudge, { prune: true });
      const cut = await cluster.cutLinks(rules);
      const [withLeader, others] = grudge.components;
      return {
        value: {
          leader,
          withLeader,
          others,
          grudge: describeGrudge(grudge),
          links: [...new Set(rules.map((r) => `${r.source}->${r.destination}`))],
        },
        async stop() {
          await cut.heal();
          return { leader, healed: rules.length };
        },
      };
    },
  };
}
