import fc from "fast-check";
import { InputError } from "../../core/errors/index.js";
import {
  FAULT_CATALOGUE,
  faultNamesOf,
  type FaultAction,
  type FaultEntry,
  type FaultName,
  type NemesisChoice,
  type PartitionShape,
} from "./catalogue.js";
import {
  linkSelectorProblem,
  partitionKindProblem,
  processSelectorProblem,
  type ClusterShape,
} from "./cluster-shape.js";
import type { ProcessSelector } from "./selectors.js";
import type {
  ClockParams,
  Cut,
  LatencyParams,
  LinkParams,
  PartitionParams,
  StreamChoice,
} from "./fault-window.js";

const int = (min: number, max: number): fc.Arbitrary<number> => fc.integer({ min, max });
const signed = (min: number, max: number): fc.Arbitrary<number> =>
  fc.tuple(fc.boolean(), int(min, max)).map(([negative, v]) => (negative ? -v : v));
const stream: fc.Arbitrary<StreamChoice> = fc.constantFrom("both", "upstream", "downstream");

/**
 * Clock skews: offsets and jumps of 2–60 s either way (over the 2 s that stops some failover managers, e.g. in TILT),
 * or a rate of 0.5–2× real time (never exactly 1).
 */
const clockParams: fc.Arbitrary<ClockParams> = fc.oneof(
  signed(2_000, 60_000).map((offset) => ({ mode: "offset" as const, offset })),
  int(50, 200)
    .filter((r) => r !== 100)
    .map((r) => ({ mode: "rate" as const, rate: r / 100 })),
  signed(2_500, 60_000).map((offset) => ({ mode: "jump" as const, offset })),
);

/** 50–1500 ms (past a 1 s failure-detection timeout at the top), jitter up to half of it. */
const latencyParams: fc.Arbitrary<LatencyParams> = fc
  .tuple(int(50, 1_500), int(0, 50), stream)
  .map(([latency, pct, s]) => ({ latency, jitter: Math.round((latency * pct) / 100), stream: s }));

/** Toxiproxy's other toxics with moderate values: 1 KB/s–1 MB/s, resets after 0–2 s, 1 B–1 KB slices, ≤ 1 MB. */
const linkParams: fc.Arbitrary<LinkParams> = fc.oneof(
  fc.tuple(int(1, 1_024), stream).map(([rate, s]) => ({ toxic: "bandwidth" as const, rate, stream: s })),
  fc.tuple(int(0, 2_000), stream).map(([timeout, s]) => ({ toxic: "reset" as const, timeout, stream: s })),
  fc.tuple(int(1, 1_024), int(0, 50), int(0, 10_000), stream).map(([averageSize, pct, delay, s]) => ({
    toxic: "slicer" as const,
    averageSize,
    sizeVariation: Math.floor((averageSize * pct) / 100),
    delay,
    stream: s,
  })),
  fc.tuple(int(0, 1 << 20), stream).map(([bytes, s]) => ({ toxic: "limit-data" as const, bytes, stream: s })),
  stream.map((s) => ({ toxic: "blackhole" as const, stream: s })),
);

function partitionParams(shape: PartitionShape, cut: Cut): PartitionParams {
  if (shape.kind === "one-way") return { kind: "one-way", cut: "blackhole", to: shape.to ?? "others" };
  return { kind: shape.kind, cut };
}

/**
 * Whether a target can be drawn for this cluster: it names something there, and `consensus-leader` only where the
 * managers keep a consensus store with a leader (the shape says so).
 */
function targetFits(target: ProcessSelector, cluster: ClusterShape): boolean {
  if (target === "consensus-leader" && cluster.consensusLeader !== true) return false;
  return processSelectorProblem(target, cluster) === undefined;
}

function shapeFits(shape: PartitionShape, cluster: ClusterShape): boolean {
  if (partitionKindProblem(shape.kind, cluster) !== undefined) return false;
  if (shape.target !== "all" && !targetFits(shape.target, cluster)) return false;
  return shape.to === undefined || shape.to === "others" || targetFits(shape.to, cluster);
}

/** The actions a named fault can take in a cluster of this shape (empty when none fits). */
function nameActions(name: FaultName, cut: Cut, cluster: ClusterShape): fc.Arbitrary<FaultAction>[] {
  const entry = FAULT_CATALOGUE[name];
  switch (entry.fault) {
    case "partition":
      return entry.shapes
        .filter((s) => shapeFits(s, cluster))
        .map((s) => fc.constant({ fault: "partition", target: s.target, params: partitionParams(s, cut) }));
    case "kill":
    case "pause": {
      const part = "part" in entry ? entry.part : undefined;
      // A part of a node exists only where the store runs its failover agent as a process of its own.
      if (part !== undefined && cluster.agents !== true) return [];
      return entry.targets
        .filter((t) => targetFits(t, cluster))
        .map((target) => fc.constant({ fault: entry.fault, target, params: part ? { part } : {} }));
    }
    case "clock":
      return entry.targets
        .filter((t) => targetFits(t, cluster))
        .map((target) => clockParams.map((params) => ({ fault: "clock" as const, target, params })));
    case "latency":
      return entry.targets
        .filter((t) => linkSelectorProblem(t, cluster) === undefined)
        .map((target) => latencyParams.map((params) => ({ fault: "latency" as const, target, params })));
    case "link":
      return entry.targets
        .filter((t) => linkSelectorProblem(t, cluster) === undefined)
        .map((target) => linkParams.map((params) => ({ fault: "link" as const, target, params })));
  }
}

/** Why a named fault's kind of target is missing from the cluster, in words (empty when that is not why). */
function missingWords(choice: NemesisChoice, cluster: ClusterShape): string {
  if (!Object.hasOwn(FAULT_CATALOGUE, choice)) return "";
  const entry: FaultEntry = FAULT_CATALOGUE[choice as FaultName];
  if ("part" in entry && entry.part !== undefined && cluster.agents !== true) {
    return ": its data nodes run no failover agent as a process of their own";
  }
  const targets =
    entry.fault === "partition" ? entry.shapes.map((s) => s.target) : (entry.targets as readonly string[]);
  if (targets.includes("consensus-leader") && cluster.consensusLeader !== true) {
    return ": its failover managers keep no consensus store with a leader of its own";
  }
  return "";
}

/**
 * The arbitrary of one fault action (fault, target, params) for the chosen families and names: each choice is
 * equally likely, then each of its names, then each of the name's shapes. Names that cannot run in the cluster
 * (no follower to kill, too few servers for a ring) are left out of a family; a choice left with nothing to do
 * is an {@link InputError}. Returns `undefined` for no choice at all.
 */
export function actionArbitrary(
  choices: readonly NemesisChoice[],
  cut: Cut,
  cluster: ClusterShape,
): fc.Arbitrary<FaultAction> | undefined {
  const perChoice = choices.map((choice) => {
    const perName = faultNamesOf(choice)
      .map((name) => nameActions(name, cut, cluster))
      .filter((actions) => actions.length > 0)
      .map((actions) => fc.oneof(...actions));
    if (perName.length === 0) {
      throw new InputError(
        "BAD_SCHEDULE_OPTIONS",
        `fault "${choice}" cannot run on a cluster of ${cluster.nodes} data node(s) and ${cluster.managers} failover manager(s)${missingWords(choice, cluster)}`,
        { details: { choice, cluster } },
      );
    }
    return fc.oneof(...perName);
  });
  return perChoice.length === 0 ? undefined : fc.oneof(...perChoice);
}
