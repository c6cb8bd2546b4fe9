import type { Topology } from "./topology.js";

/**
 * One directed "cannot send" fact: bytes from `from` to `to` do not arrive (the other direction is a separate
 * pair). A grudge is a set of these; a symmetric partition holds both directions of every cut pair.
 */
export interface DirectedPair {
  readonly from: string;
  readonly to: string;
}

/**
 * The seeded randomness a grudge factory draws on (random halves, ring order, bridge node). The harness's
 * `Random` (`core/random`) satisfies it; so does any deterministic stub in tests.
 */
export interface GrudgeRandom {
  /** An integer in [0, maxExclusive). */
  int(maxExclusive: number): number;
}

/** What every grudge carries: the topology it was computed for and its directed blocks. */
export interface GrudgeBase {
  /** The topology the grudge was computed for (so it can be described and pruned on its own). */
  readonly topology: Topology;
  /**
   * Every directed pair whose bytes are blocked, without duplicates or self pairs, in topology order of `from`
   * then `to`. A client→client pair is never listed: clients only talk to servers, so there is no such link.
   */
  readonly blocked: readonly DirectedPair[];
}

/** Any split of every endpoint into groups that cannot talk to each other (Jepsen's `complete-grudge`). */
export interface CompleteGrudge extends GrudgeBase {
  readonly kind: "complete";
  /** Disjoint groups covering every endpoint; endpoints talk freely inside a group and not across groups. */
  readonly components: readonly (readonly string[])[];
}

/** The leader plus a group of clients against everything else (the classic split brain). */
export interface PartitionLeaderGrudge extends GrudgeBase {
  readonly kind: "partition-leader";
  readonly leader: string;
  /** `[leader and its clients, everyone else]`. */
  readonly components: readonly [readonly string[], readonly string[]];
}

/** One data node or failover manager cut off from every other endpoint, both ways. */
export interface IsolateNodeGrudge extends GrudgeBase {
  readonly kind: "isolate-node";
  readonly node: string;
  /** `[[node], everyone else]`. */
  readonly components: readonly [readonly string[], readonly string[]];
}

/** The servers split into two random halves (smaller first), clients dealt to the sides. */
export interface PartitionHalvesGrudge extends GrudgeBase {
  readonly kind: "partition-halves";
  /** `[smaller side, larger side]`, each with the clients attached to it. */
  readonly components: readonly [readonly string[], readonly string[]];
}

/** What one ring member can reach (itself included) in a majorities ring. */
export interface RingView {
  readonly member: string;
  readonly sees: readonly string[];
}

/**
 * Jepsen's majorities ring over the servers: every server sees a majority of them (itself included) and no two
 * servers see the same majority. Reachability is symmetric.
 */
export interface MajoritiesRingGrudge extends GrudgeBase {
  readonly kind: "partition-majorities-ring";
  /** The servers in ring order (a random permutation). */
  readonly ring: readonly string[];
  /** Each server's view, in ring order. */
  readonly views: readonly RingView[];
  /** Each client and the ring member whose view it shares. */
  readonly anchors: readonly { readonly client: string; readonly anchor: string }[];
}

/** Two halves that cannot reach each other, plus one bridge server that reaches both (Jepsen's `bridge`). */
export interface PartitionBridgeGrudge extends GrudgeBase {
  readonly kind: "partition-bridge";
  readonly bridge: string;
  /** The two sides without the bridge, each with the clients attached to it. */
  readonly components: readonly [readonly string[], readonly string[]];
}

/** A one-way cut: nothing in `from` can send to anything in `to`, while `to` still reaches `from`. */
export interface OneWayGrudge extends GrudgeBase {
  readonly kind: "one-way";
  readonly from: readonly string[];
  readonly to: readonly string[];
}

/** A grudge: which directed pairs cannot send bytes, tagged by how it was made. JSON-serialisable. */
export type Grudge =
  | CompleteGrudge
  | PartitionLeaderGrudge
  | IsolateNodeGrudge
  | PartitionHalvesGrudge
  | MajoritiesRingGrudge
  | PartitionBridgeGrudge
  | OneWayGrudge;

/** The `kind` of a {@link Grudge}. */
export type GrudgeKind = Grudge["kind"];

/** Whether bytes from `from` reach `to` under `grudge` (an endpoint always reaches itself). */
export function reaches(grudge: Grudge, from: string, to: string): boolean {
  if (from === to) return true;
  return !grudge.blocked.some((p) => p.from === from && p.to === to);
}
