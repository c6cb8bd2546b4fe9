import { InputError } from "../../core/errors/index.js";
import { FAULT_FAMILIES, type Cut } from "./fault-window.js";
import { FAULT_NAMES, isNemesisChoice, type NemesisChoice } from "./catalogue.js";
import { DEFAULT_CLUSTER_SHAPE, type ClusterShape } from "./cluster-shape.js";

/** What the schedule generator mixes, and within which bounds. Pass a partial object; the rest are defaults. */
export interface ScheduleOptions {
  /** Families (`kill`) or named faults (`kill-leader`); each choice is equally likely. Default: every family. */
  readonly faults: readonly NemesisChoice[];
  /**
   * Mean gap between two fault starts, in ms (`--nemesis-interval`); each gap is uniform in [0, 2·interval].
   * Default 10 s.
   */
  readonly interval: number;
  /** Length of the run, in ms; the final heal happens here. Default 20 s, as `faultline run`. */
  readonly timeLimit: number;
  /**
   * Fault-free time before the final heal, in ms. Default 5 s: after a heal, failover managers need about 2 s to agree on a
   * leader and clients about as long to find it (spec §3.1, "allow 5 s").
   */
  readonly quietPeriod: number;
  /** Shortest fault, in ms. Default 1 s: a typical failure-detection timeout, below which a fault hardly shows. */
  readonly minDuration: number;
  /**
   * Longest fault, in ms. Default 8 s: long enough for a failover (about 2 s) and the old leader's demotion
   * (measured with an 8 s partition, spec §3.3), short enough to fit several faults in a run.
   */
  readonly maxDuration: number;
  /** How partitions cut links. Default `blackhole` (dropped packets). */
  readonly cut: Cut;
  /** The cluster's shape: decides which targets exist. Default 3 data nodes and 3 managers. */
  readonly cluster: ClusterShape;
}

/** The defaults of {@link ScheduleOptions}. */
export const DEFAULT_SCHEDULE_OPTIONS: ScheduleOptions = {
  faults: FAULT_FAMILIES,
  interval: 10_000,
  timeLimit: 20_000,
  quietPeriod: 5_000,
  minDuration: 1_000,
  maxDuration: 8_000,
  cut: "blackhole",
  cluster: DEFAULT_CLUSTER_SHAPE,
};

/**
 * Fills in defaults and validates once (STYLE.md §10); throws an {@link InputError} naming the bad option.
 *
 * @example
 * resolveScheduleOptions({ faults: ["kill", "partition"], interval: 5000 }).timeLimit; // 20000
 */
export function resolveScheduleOptions(options: Partial<ScheduleOptions> = {}): ScheduleOptions {
  const o: ScheduleOptions = { ...DEFAULT_SCHEDULE_OPTIONS, ...options };
  const fail = (option: string, message: string): never => {
    throw new InputError("BAD_SCHEDULE_OPTIONS", `schedule option ${option}: ${message}`, {
      details: { option, value: (o as unknown as Record<string, unknown>)[option] },
    });
  };
  const whole = (option: keyof ScheduleOptions, min: number): void => {
    const v = o[option] as number;
    if (!Number.isSafeInteger(v) || v < min) fail(option, `must be a whole number of ms ≥ ${min}, got ${v}`);
  };
  whole("interval", 1);
  whole("timeLimit", 1);
  whole("quietPeriod", 0);
  whole("minDuration", 1);
  whole("maxDuration", o.minDuration);
  for (const f of o.faults) {
    if (!isNemesisChoice(f)) {
      fail(
        "faults",
        `unknown fault "${String(f)}"; use ${FAULT_FAMILIES.join(", ")} or one of ${FAULT_NAMES.join(", ")}`,
      );
    }
  }
  if (o.cut !== "blackhole" && o.cut !== "refuse")
    fail("cut", `must be blackhole or refuse, got ${String(o.cut)}`);
  const { nodes, managers, clients } = o.cluster;
  if (!Number.isSafeInteger(nodes) || nodes < 1)
    fail("cluster", `needs at least one data node, got ${nodes}`);
  if (!Number.isSafeInteger(managers) || managers < 0)
    fail("cluster", `managers must be ≥ 0, got ${managers}`);
  if (clients !== undefined && (!Number.isSafeInteger(clients) || clients < 0)) {
    fail("cluster", `clients must be ≥ 0, got ${clients}`);
  }
  return { ...o, faults: [...new Set(o.faults)] };
}
