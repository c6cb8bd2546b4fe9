/**
 * The named faults (`kill-leader`, `isolate-follower`…) and the fault families they belong to. A family stands
 * for all of its names; each name stands for one or a few concrete (target, parameters) shapes, whose numbers
 * are drawn by {@link actionArbitrary}.
 */
import {
  FAULT_FAMILIES,
  type FaultFamily,
  type FaultWindow,
  type PartitionKind,
  type WindowTiming,
} from "./fault-window.js";
import type { ProcessPart } from "../../core/cluster/index.js";
import type { LinkSelector, ProcessSelector } from "./selectors.js";

/** What a window does, without its timing: its `fault`, `target` and `params`. */
export type FaultAction = FaultWindow extends infer W
  ? W extends FaultWindow
    ? Omit<W, keyof WindowTiming>
    : never
  : never;

/** A partition shape before its cut style is chosen. */
export interface PartitionShape {
  readonly kind: PartitionKind;
  readonly target: ProcessSelector | "all";
  /** For one-way cuts: what the target cannot send to. */
  readonly to?: ProcessSelector | "others";
}

/** The catalogue entry of one fault name. */
export type FaultEntry =
  | { readonly fault: "partition"; readonly shapes: readonly PartitionShape[] }
  | {
      readonly fault: "kill" | "pause";
      readonly targets: readonly ProcessSelector[];
      /** The part of the node it acts on (the node's failover agent alone…); default the whole node. */
      readonly part?: ProcessPart;
    }
  | { readonly fault: "clock"; readonly targets: readonly ProcessSelector[] }
  | { readonly fault: "latency" | "link"; readonly targets: readonly LinkSelector[] };

/**
 * Every named fault. Names read as DESIGN.md's vocabulary: `<fault>-<target>`, where the follower and the
 * manager are chosen at random when the fault fires; `<fault>-<target>-agent` acts on the node's failover agent
 * alone (its data process keeps running), and `consensus-leader` is the leader of the managers' own consensus
 * store. A family draws those two kinds only for clusters that have them (`ClusterShape.agents`,
 * `ClusterShape.consensusLeader`).
 */
export const FAULT_CATALOGUE = {
  "partition-leader": { fault: "partition", shapes: [{ kind: "partition-leader", target: "leader" }] },
  "isolate-node": {
    fault: "partition",
    shapes: [
      { kind: "isolate-node", target: "random-node" },
      { kind: "isolate-node", target: "random-manager" },
    ],
  },
  "isolate-leader": { fault: "partition", shapes: [{ kind: "isolate-node", target: "leader" }] },
  "isolate-follower": { fault: "partition", shapes: [{ kind: "isolate-node", target: "random-follower" }] },
  "isolate-manager": { fault: "partition", shapes: [{ kind: "isolate-node", target: "random-manager" }] },
  "isolate-consensus-leader": {
    fault: "partition",
    shapes: [{ kind: "isolate-node", target: "consensus-leader" }],
  },
  "partition-halves": { fault: "partition", shapes: [{ kind: "partition-halves", target: "all" }] },
  "partition-majorities-ring": {
    fault: "partition",
    shapes: [{ kind: "partition-majorities-ring", target: "all" }],
  },
  "partition-bridge": { fault: "partition", shapes: [{ kind: "partition-bridge", target: "all" }] },
  "partition-one-way": {
    fault: "partition",
    shapes: [
      // The follower hears the leader but its acknowledgements never arrive (min-replicas sees lag).
      { kind: "one-way", target: "random-follower", to: "leader" },
      // The leader hears everyone and nobody hears it.
      { kind: "one-way", target: "leader", to: "others" },
      // The leader's replication stream stops while followers and failover managers still reach it.
      { kind: "one-way", target: "leader", to: "all-followers" },
    ],
  },
  "kill-leader": { fault: "kill", targets: ["leader"] },
  "kill-follower": { fault: "kill", targets: ["random-follower"] },
  "kill-manager": { fault: "kill", targets: ["random-manager"] },
  "kill-leader-agent": { fault: "kill", targets: ["leader"], part: "agent" },
  "kill-consensus-leader": { fault: "kill", targets: ["consensus-leader"] },
  "pause-leader": { fault: "pause", targets: ["leader"] },
  "pause-follower": { fault: "pause", targets: ["random-follower"] },
  "pause-manager": { fault: "pause", targets: ["random-manager"] },
  "pause-leader-agent": { fault: "pause", targets: ["leader"], part: "agent" },
  "pause-consensus-leader": { fault: "pause", targets: ["consensus-leader"] },
  "clock-leader": { fault: "clock", targets: ["leader"] },
  "clock-follower": { fault: "clock", targets: ["random-follower"] },
  "clock-manager": { fault: "clock", targets: ["random-manager"] },
  "latency-replication": { fault: "latency", targets: ["replication"] },
  "latency-client-leader": { fault: "latency", targets: ["client-leader"] },
  "latency-manager-nodes": { fault: "latency", targets: ["manager-nodes"] },
  "latency-manager-gossip": { fault: "latency", targets: ["manager-gossip"] },
  "link-replication": { fault: "link", targets: ["replication"] },
  "link-client-leader": { fault: "link", targets: ["client-leader"] },
  "link-manager-nodes": { fault: "link", targets: ["manager-nodes"] },
  "link-manager-gossip": { fault: "link", targets: ["manager-gossip"] },
} as const satisfies Record<string, FaultEntry>;

/** A named fault of {@link FAULT_CATALOGUE}. */
export type FaultName = keyof typeof FAULT_CATALOGUE;

/** Every named fault, in catalogue order. */
export const FAULT_NAMES = Object.keys(FAULT_CATALOGUE) as FaultName[];

/** What `--nemesis` accepts: a family (all of its faults) or one named fault. */
export type NemesisChoice = FaultFamily | FaultName;

/** Whether `text` is a {@link NemesisChoice}. */
export function isNemesisChoice(text: string): text is NemesisChoice {
  return (FAULT_FAMILIES as readonly string[]).includes(text) || Object.hasOwn(FAULT_CATALOGUE, text);
}

/** The named faults a choice stands for: the name itself, or every name of the family. */
export function faultNamesOf(choice: NemesisChoice): FaultName[] {
  if (Object.hasOwn(FAULT_CATALOGUE, choice)) return [choice as FaultName];
  return FAULT_NAMES.filter((n) => FAULT_CATALOGUE[n].fault === choice);
}
