import type { Grudge } from "./grudge.js";

/**
 * A grudge in words, for the nemesis op in the history and for the report. Groups that cannot reach each other
 * are separated by ` | `, each group in topology order (nodes, managers, clients).
 *
 * @example
 * describeGrudge(partitionLeader(topology, "n1")); // "n1, c1 | n2, n3, s1, s2, s3, c2, c3"
 * describeGrudge(oneWay(topology, ["n2"], ["n1"])); // "n2 -/-> n1 (n1 still reaches n2)"
 */
export function describeGrudge(grudge: Grudge): string {
  const list = (names: readonly string[]): string => names.join(", ");
  switch (grudge.kind) {
    case "complete":
    case "partition-leader":
    case "isolate-node":
    case "partition-halves":
      return grudge.components.map(list).join(" | ");
    case "partition-bridge":
      return `${grudge.components.map(list).join(" | ")} (bridge ${grudge.bridge} reaches both sides)`;
    case "partition-majorities-ring": {
      const views = grudge.views.map((v) => `${v.member} sees ${list(v.sees)}`);
      const anchors = grudge.anchors.map((a) => `${a.client} with ${a.anchor}`);
      return [`majorities ring ${grudge.ring.join(" → ")}`, ...views, ...anchors].join("; ");
    }
    case "one-way":
      return `${list(grudge.from)} -/-> ${list(grudge.to)} (${list(grudge.to)} still ${
        grudge.to.length === 1 ? "reaches" : "reach"
      } ${list(grudge.from)})`;
  }
}
