/**
 * Internal helpers shared by the grudge factories: turning "who may talk to whom" into the canonical list of
 * blocked directed pairs, and a seeded shuffle.
 */
import type { DirectedPair, GrudgeRandom } from "./grudge.js";
import { endpoints, roleOf, type Topology } from "./topology.js";

/**
 * Every directed pair (a, b) of distinct endpoints, a ≠ b, that is not client→client and for which
 * `cut(a, b)` holds, in topology order of `a` then `b`.
 */
export function blockedWhere(topology: Topology, cut: (from: string, to: string) => boolean): DirectedPair[] {
  const all = endpoints(topology);
  const out: DirectedPair[] = [];
  for (const from of all) {
    for (const to of all) {
      if (from === to) continue;
      if (roleOf(topology, from) === "client" && roleOf(topology, to) === "client") continue;
      if (cut(from, to)) out.push({ from, to });
    }
  }
  return out;
}

/** The blocks of a complete grudge: every pair whose ends lie in different components, both ways. */
export function blockedAcross(
  topology: Topology,
  components: readonly (readonly string[])[],
): DirectedPair[] {
  const side = new Map<string, number>();
  components.forEach((members, i) => members.forEach((m) => side.set(m, i)));
  return blockedWhere(topology, (a, b) => side.get(a) !== side.get(b));
}

/** A shuffled copy of `items` (Fisher–Yates, drawing from `random`). */
export function shuffle<T>(random: GrudgeRandom, items: readonly T[]): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** `names` sorted into topology order (nodes, managers, clients, each as listed). */
export function inTopologyOrder(topology: Topology, names: Iterable<string>): string[] {
  const order = endpoints(topology);
  return [...new Set(names)].sort((a, b) => order.indexOf(a) - order.indexOf(b));
}

/**
 * Deals clients round-robin to `sides` (largest side first; on a tie, the earlier side first) and returns each
 * side with its clients appended, in topology order.
 */
export function dealClients(topology: Topology, sides: readonly (readonly string[])[]): string[][] {
  const order = sides
    .map((members, i) => ({ i, size: members.length }))
    .sort((a, b) => b.size - a.size || a.i - b.i)
    .map((s) => s.i);
  const out = sides.map((members) => [...members]);
  topology.clients.forEach((client, k) => out[order[k % order.length] as number]!.push(client));
  return out.map((members) => inTopologyOrder(topology, members));
}
