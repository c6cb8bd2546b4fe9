/**
 * The data of a fault schedule (issue 6 §5): JSON-serialisable, stored in `config.json`, replayed as is. A
 * window says which fault to start, on which target (a selector resolved when it fires), with which parameters,
 * when (ms from the run's start) and for how long; the fault is healed at `start + duration`.
 */
import type { ProcessPart } from "../../core/cluster/index.js";
import type { LinkSelector, ProcessSelector } from "./selectors.js";

/** The fault families a schedule mixes (`--nemesis partition,kill,pause,latency,clock,link`). */
export const FAULT_FAMILIES = ["partition", "kill", "pause", "latency", "clock", "link"] as const;

/** One of {@link FAULT_FAMILIES}. */
export type FaultFamily = (typeof FAULT_FAMILIES)[number];

/** The partition shapes (`nemesis/grudge`). */
export const PARTITION_KINDS = [
  "partition-leader",
  "isolate-node",
  "partition-halves",
  "partition-majorities-ring",
  "partition-bridge",
  "one-way",
] as const;

/** One of {@link PARTITION_KINDS}. */
export type PartitionKind = (typeof PARTITION_KINDS)[number];

/**
 * How a partition cuts a link: `blackhole` holds the bytes, as dropped packets do (connections hang until the
 * applications' timeouts); `refuse` resets connections (RST), which is faster to notice and cannot be one-way.
 */
export type Cut = "blackhole" | "refuse";

/** Which stream(s) of the selected connections a link fault acts on (see `nemesis/grudge` for the meaning). */
export type StreamChoice = "upstream" | "downstream" | "both";

/** A partition target: `all` for the shapes over every server, otherwise the process(es) concerned. */
export type PartitionTarget = ProcessSelector | "all";

/** What a partition window does, by shape. */
export type PartitionParams =
  | {
      readonly kind: "partition-leader";
      readonly cut: Cut;
      /** The clients that stay with the leader; default: the first ⌈N/2⌉−1. */
      readonly clients?: readonly string[];
    }
  | { readonly kind: "isolate-node"; readonly cut: Cut }
  | { readonly kind: "partition-halves"; readonly cut: Cut }
  | { readonly kind: "partition-majorities-ring"; readonly cut: Cut }
  | { readonly kind: "partition-bridge"; readonly cut: Cut }
  | {
      readonly kind: "one-way";
      /** Only blackhole: a reset stops both directions of a connection. */
      readonly cut: "blackhole";
      /** What the target cannot send to: a selector, or `others` (every other endpoint). */
      readonly to: ProcessSelector | "others";
    };

/**
 * How a clock fault skews a process, restarted under faultline's clock shim (`nemesis/clock`, used instead of
 * Debian's libfaketime, which deadlocks in some servers) for the window: a fixed `offset` (ms, signed), a `rate`
 * (1 = real time), or a `jump` by `offset` ms once it runs. A jump over 2 s can stop a failover manager acting for a while
 * (spec §2.4).
 */
export type ClockParams =
  | { readonly mode: "offset"; readonly offset: number }
  | { readonly mode: "rate"; readonly rate: number }
  | { readonly mode: "jump"; readonly offset: number };

/**
 * What a kill or pause acts on: the whole node (no `part`, the default), or one part of a data node that runs as
 * a process of its own — its failover `agent` (the data process keeps serving clients) or its data process
 * (`store`, the agent keeps running). A cluster whose nodes have no such parts does not apply the fault.
 */
export interface ProcessParams {
  readonly part?: ProcessPart;
}

/** Latency on the selected connections: `latency` ms plus up to ±`jitter` ms, as Toxiproxy's latency toxic. */
export interface LatencyParams {
  readonly latency: number;
  readonly jitter: number;
  readonly stream: StreamChoice;
}

/** The other link toxics, with Toxiproxy's attributes (`bandwidth` rate in KB/s, `slicer` delay in µs). */
export type LinkParams =
  | { readonly toxic: "bandwidth"; readonly rate: number; readonly stream: StreamChoice }
  | { readonly toxic: "reset"; readonly timeout: number; readonly stream: StreamChoice }
  | {
      readonly toxic: "slicer";
      readonly averageSize: number;
      readonly sizeVariation: number;
      readonly delay: number;
      readonly stream: StreamChoice;
    }
  | { readonly toxic: "limit-data"; readonly bytes: number; readonly stream: StreamChoice }
  | { readonly toxic: "blackhole"; readonly stream: StreamChoice };

/** The timing and identity every window has. */
export interface WindowTiming {
  /** Unique in its schedule (`f1`, `f2`…); kept when a schedule is shrunk, so attempts can be compared. */
  readonly id: string;
  /** When the fault starts, in ms from the run's start. */
  readonly start: number;
  /** How long it lasts, in ms; it is healed at `start + duration`. */
  readonly duration: number;
  /** Seeds the choices made when the fault fires (random follower, random halves), so a replay makes the same. */
  readonly seed: number;
}

/** One fault window, tagged by its family in `fault`. */
export type FaultWindow =
  | (WindowTiming & {
      readonly fault: "partition";
      readonly target: PartitionTarget;
      readonly params: PartitionParams;
    })
  | (WindowTiming & {
      readonly fault: "kill";
      readonly target: ProcessSelector;
      readonly params: ProcessParams;
    })
  | (WindowTiming & {
      readonly fault: "pause";
      readonly target: ProcessSelector;
      readonly params: ProcessParams;
    })
  | (WindowTiming & {
      readonly fault: "clock";
      readonly target: ProcessSelector;
      readonly params: ClockParams;
    })
  | (WindowTiming & {
      readonly fault: "latency";
      readonly target: LinkSelector;
      readonly params: LatencyParams;
    })
  | (WindowTiming & { readonly fault: "link"; readonly target: LinkSelector; readonly params: LinkParams });

/**
 * A fault schedule: the windows in start order, and the bounds they respect. Every window ends by
 * `timeLimit - quietPeriod`, so the store has a quiet period before the final heal at `timeLimit`; durations lie
 * in [`minDuration`, `maxDuration`].
 */
export interface Schedule {
  /** Length of the run in ms; the final heal happens here. */
  readonly timeLimit: number;
  /** Fault-free time before the final heal, in ms. */
  readonly quietPeriod: number;
  readonly minDuration: number;
  readonly maxDuration: number;
  readonly windows: readonly FaultWindow[];
}

/** The end of a window: when it is healed. */
export function windowEnd(window: WindowTiming): number {
  return window.start + window.duration;
}
