import { canAddLinkToxics, isPartitionable, type LinkRule } from "../../core/cluster/index.js";
import { FaultNotApplied, type ActiveFault } from "../core/index.js";
import { describeGrudge, grudgeToLinkRules, type Grudge } from "../grudge/index.js";
import { partitionGrudge, type FaultWindow } from "../schedule/index.js";
import { fireContext, type WindowContext } from "./window-context.js";

type PartitionWindow = Extract<FaultWindow, { fault: "partition" }>;

/**
 * Starts a partition window: resolves its grudge when it fires (`partitionGrudge`: the leader of the moment,
 * seeded random halves, ring or bridge), turns it into link rules (`grudgeToLinkRules`, pruned to connections
 * the store can open) and cuts them all at one instant in the proxy, blackholed or refused as the window
 * says. The value records what was done: the grudge in words, its groups, every cut link and the cut style.
 *
 * On a per-destination proxy (a real Toxiproxy) only `partition-leader` can be expressed: the leader's inbound
 * proxy is cut for every server and the other clients, and each client with the leader keeps only its own
 * listener for it. The leader's own outgoing rules are left out, since a leader opens no connections while it
 * leads (spec §2.6 Design A).
 */
export async function startPartition(window: PartitionWindow, ctx: WindowContext): Promise<ActiveFault> {
  const { cluster } = ctx;
  if (!isPartitionable(cluster)) {
    throw new FaultNotApplied("this cluster cannot cut links (partitions need the proxy network)");
  }
  const fire = await fireContext(window, ctx);
  const resolved = partitionGrudge(window, fire);
  if (resolved.kind === "no-target") throw new FaultNotApplied(resolved.reason);
  const grudge = resolved.grudge;
  let rules: LinkRule[] = grudgeToLinkRules(grudge, { prune: true });
  const perDestination = canAddLinkToxics(cluster) && cluster.granularity === "destination";
  if (perDestination) {
    if (grudge.kind !== "partition-leader") {
      throw new FaultNotApplied(
        `${window.params.kind} needs per-link rules, which a plain Toxiproxy cannot express`,
      );
    }
    rules = rules.filter((r) => r.source !== grudge.leader);
  }
  const cut = window.params.cut;
  const handle = await cluster.cutLinks(rules, { cut });
  const links = [...new Set(rules.map((r) => `${r.source}->${r.destination}`))];
  return {
    value: { ...grudgeFacts(grudge), cut, links, rules: rules.length },
    async stop() {
      await handle.heal();
      return { healed: rules.length, links };
    },
  };
}

/** What a history reader wants to know of a grudge: it in words, and its groups and named ends. */
function grudgeFacts(grudge: Grudge): Record<string, unknown> {
  const words = describeGrudge(grudge);
  switch (grudge.kind) {
    case "partition-leader": {
      const [withLeader, others] = grudge.components;
      return { kind: grudge.kind, grudge: words, leader: grudge.leader, withLeader, others };
    }
    case "isolate-node":
      return { kind: grudge.kind, grudge: words, node: grudge.node, components: grudge.components };
    case "partition-bridge":
      return { kind: grudge.kind, grudge: words, bridge: grudge.bridge, components: grudge.components };
    case "partition-majorities-ring":
      return { kind: grudge.kind, grudge: words, ring: grudge.ring, views: grudge.views };
    case "one-way":
      return { kind: grudge.kind, grudge: words, from: grudge.from, to: grudge.to };
    default:
      return { kind: grudge.kind, grudge: words, components: grudge.components };
  }
}
