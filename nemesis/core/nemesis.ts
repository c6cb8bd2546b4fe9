import type { StartedCluster } from "../../core/cluster/index.js";
import type { Random } from "../../core/random/index.js";

/** A nemesis operation as the run loop invokes it (`f` is e.g. `start-kill-leader`). */
export interface NemesisOp {
  f: string;
  value?: unknown;
}

/**
 * How a nemesis op ended: `ok` — the fault was applied (the value says to what and how); `fail` — it could not
 * be applied (no leader to kill) and nothing changed; `info` — something went wrong midway, state unknown.
 */
export interface NemesisCompletion {
  type: "ok" | "fail" | "info";
  value?: unknown;
  error?: string;
}

/**
 * The fault injector (STYLE.md §5, Jepsen's `Nemesis`): set up once, invoked with ops from a schedule, torn
 * down at the end. At the end of a run the run loop first invokes {@link Nemesis.healOps} (so the heals are in
 * the history like any op), then calls `teardown`, which undoes whatever is somehow still active. `invoke`
 * never throws; every outcome is a completion.
 */
export interface Nemesis {
  /** The `f`s this nemesis understands. */
  readonly fs: readonly string[];
  setup(): Promise<void>;
  invoke(op: NemesisOp): Promise<NemesisCompletion>;
  /** The ops that would end every fault active now (e.g. `stop-kill-leader`), latest first. */
  healOps(): NemesisOp[];
  /** Undoes every fault still active, unrecorded (the last resort). */
  teardown(): Promise<void>;
}

/** What a fault may use: the cluster (through its abilities), the run's clients, and seeded randomness. */
export interface FaultContext {
  readonly cluster: StartedCluster;
  /** Client names (`c1`…), for faults that put clients on one side of a partition. */
  readonly clients: readonly string[];
  readonly random: Random;
}

/** A fault in effect, and how to end it. */
export interface ActiveFault {
  /** What was done, with the resolved target (recorded as the start op's completion value). */
  readonly value: unknown;
  /** Ends the fault; resolves with what was done (the stop op's completion value). */
  stop(): Promise<unknown>;
}

/**
 * One kind of fault: `start` resolves its target at the moment it fires (e.g. asks the failover managers who
 * leads) and applies it. Faults are what `faultNemesis` cycles; issue 6's catalogue adds more of them.
 */
export interface Fault {
  /** `kill-leader`, `partition-leader`, … (DESIGN.md "Vocabulary"). */
  readonly name: string;
  /**
   * Applies the fault. Throwing a {@link FaultNotApplied} means nothing changed (recorded as `fail`); any other
   * error leaves the state unknown (recorded as `info`).
   */
  start(ctx: FaultContext): Promise<ActiveFault>;
}

/** Thrown by {@link Fault.start} when the fault could not be applied and nothing changed. */
export class FaultNotApplied extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FaultNotApplied";
  }
}

/** The history `f` of a fault's start or stop: `start-kill-leader`, `stop-kill-leader`. */
export function faultOpName(phase: "start" | "stop", fault: string): string {
  return `${phase}-${fault}`;
}

/** The phase and fault of a nemesis `f`, or `undefined` when it is not a start/stop op. */
export function parseFaultOp(f: string): { phase: "start" | "stop"; fault: string } | undefined {
  const m = /^(start|stop)-(.+)$/.exec(f);
  return m ? { phase: m[1] as "start" | "stop", fault: m[2]! } : undefined;
}
