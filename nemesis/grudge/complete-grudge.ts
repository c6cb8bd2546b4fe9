import { InputError } from "../../core/errors/index.js";
import { blockedAcross, inTopologyOrder } from "./blocked.js";
import type { CompleteGrudge } from "./grudge.js";
import { assertTopology, endpoints, type Topology } from "./topology.js";

/**
 * A grudge from explicit groups (Jepsen's `complete-grudge`): no endpoint reaches an endpoint of another group,
 * in either direction. The groups must split every endpoint of the topology exactly once, so the answer never
 * depends on what was left out.
 *
 * @example
 * completeGrudge(topology, [["n1", "s1", "c1"], ["n2", "n3", "s2", "s3", "c2"]]);
 */
export function completeGrudge(
  topology: Topology,
  components: readonly (readonly string[])[],
): CompleteGrudge {
  assertTopology(topology);
  const all = endpoints(topology);
  const seen = new Set<string>();
  for (const name of components.flat()) {
    if (!all.includes(name) || seen.has(name)) {
      throw new InputError(
        "BAD_GRUDGE",
        `partition groups must name each endpoint of the topology once, got ${JSON.stringify(name)} ${
          seen.has(name) ? "twice" : "which is not in the topology"
        }`,
        { details: { components, topology } },
      );
    }
    seen.add(name);
  }
  const missing = all.filter((n) => !seen.has(n));
  if (missing.length > 0) {
    throw new InputError("BAD_GRUDGE", `partition groups leave out ${missing.join(", ")}`, {
      details: { components, topology },
    });
  }
  const groups = components.filter((c) => c.length > 0).map((c) => inTopologyOrder(topology, c));
  return { kind: "complete", topology, components: groups, blocked: blockedAcross(topology, groups) };
}
