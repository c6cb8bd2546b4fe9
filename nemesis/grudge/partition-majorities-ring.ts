import { InputError } from "../../core/errors/index.js";
import { blockedWhere, shuffle } from "./blocked.js";
import type { GrudgeRandom, MajoritiesRingGrudge, RingView } from "./grudge.js";
import { assertTopology, servers, type Topology } from "./topology.js";

/**
 * Jepsen's majorities ring over the S servers (data nodes and failover managers): every server sees a majority
 * of the servers, itself included, and no two servers see the same majority, so no two of them can agree on who
 * is "the" majority.
 *
 * Construction: the servers are shuffled into a ring; two servers reach each other (both ways) when their ring
 * distance is at most k = ⌈⌊S/2⌋/2⌉. Each server then sees the 2k+1 servers centred on it: at least the majority
 * ⌊S/2⌋+1, and fewer than S for S ≥ 4, so the windows centred on different servers differ. For odd S = 5 that is
 * exactly 3 of 5; for even S a symmetric ring cannot show an even-sized majority, so each server sees one more
 * (5 of 6: everyone but the server opposite it).
 *
 * Clients: client number j (0-based) shares the view of ring member j mod S, so clients are spread around the
 * ring; it reaches exactly the servers that member sees.
 *
 * @example
 * partitionMajoritiesRing(topology, random).views; // [{ member: "n2", sees: ["s3", "n2", "s1"] }, …]
 */
export function partitionMajoritiesRing(topology: Topology, random: GrudgeRandom): MajoritiesRingGrudge {
  assertTopology(topology);
  const n = servers(topology).length;
  if (n < 4) {
    throw new InputError(
      "BAD_GRUDGE",
      `partition-majorities-ring needs at least 4 servers (data nodes + failover managers), got ${n}: with fewer, every server would see all of them`,
      { details: { topology } },
    );
  }
  const ring = shuffle(random, servers(topology));
  const k = Math.ceil(Math.floor(n / 2) / 2);
  const position = new Map(ring.map((s, i) => [s, i]));
  const distance = (a: string, b: string): number => {
    const d = Math.abs((position.get(a) as number) - (position.get(b) as number));
    return Math.min(d, n - d);
  };
  const views: RingView[] = ring.map((member, i) => ({
    member,
    sees: Array.from({ length: 2 * k + 1 }, (_, d) => ring[(((i - k + d) % n) + n) % n] as string),
  }));
  const anchors = topology.clients.map((client, j) => ({ client, anchor: ring[j % n] as string }));
  const anchorOf = new Map(anchors.map((a) => [a.client, a.anchor]));
  // A client stands where its anchor stands: it reaches what the anchor reaches (and never another client).
  const at = (name: string): string => anchorOf.get(name) ?? name;
  const blocked = blockedWhere(topology, (a, b) => distance(at(a), at(b)) > k);
  return { kind: "partition-majorities-ring", topology, ring, views, anchors, blocked };
}
