/**
 * What the linearizability checker returns, beyond the verdict: per-key outcomes and, for an illegal key, the
 * counterexample a report can draw.
 */
import type { CheckResult, Validity } from "../core/result.js";

/** One operation as an explanation shows it. */
export interface OpSummary {
  /** The invoke's `index` in the history. */
  index: number;
  /** The completion's `index`, or `null` if it never completed. */
  completionIndex: number | null;
  process: number;
  f: string;
  key?: string;
  /** The invoke's value (the op's arguments). */
  value: unknown;
  /** The `ok` completion's value (what a read returned); absent otherwise. */
  result?: unknown;
  /** How it ended (`info` also covers an op that never completed). */
  type: "ok" | "info" | "fail";
  /** Invoke time, ns. */
  invokeTime: number;
  /** Completion time, ns; `null` when the op never returned (`info`: its return time is +∞). */
  completeTime: number | null;
  /** The model's description: `read → 3`, `write 4`, … */
  description: string;
}

/** One op of a linearization and the model state it leaves. */
export interface LinearizedStep {
  op: OpSummary;
  /** The model state after the op. */
  stateAfter: string;
}

/**
 * Why a key is not linearizable: the longest linearizable prefix found, and the op that cannot follow.
 */
export interface Counterexample {
  /** The key (`""` for ops without one). */
  key: string;
  /** Operations the model kept on this key. */
  ops: number;
  /** The model state before any op. */
  initialState: string;
  /**
   * The longest linearizable prefix the search found, in linearization order (ops of unknown outcome appear only
   * where they matter); `null` if the search that rebuilds it ran out of time.
   */
  prefix: LinearizedStep[] | null;
  /** The op that cannot be linearized after that prefix (it returned before any other order could place it). */
  op: OpSummary;
  /** The state the prefix leaves, in which the op is illegal (`null` with `prefix`). */
  stateBefore: string | null;
  /**
   * Every distinct state from which the search tried the op and found it illegal (up to 8), or `null` if the
   * search that collects them ran out of time. The search tries an op of unknown outcome only where it can matter,
   * so states that only such an op's unobserved effect would create are not listed.
   */
  conflictingStates: string[] | null;
  /** True when more conflicting states existed than are listed. */
  conflictingStatesTruncated: boolean;
  /** True when the op was legal from some state the search reached (a later op failed instead). */
  legalSomewhere: boolean;
}

/** The outcome for one key. */
export interface KeyResult {
  key: string;
  valid: Validity;
  /** Operations the model kept on this key. */
  ops: number;
}

/** How far a search got when it ran out of budget. */
export interface Progress {
  /** Keys fully checked (linearizable). */
  keysChecked: number;
  /** Keys in the history. */
  keysTotal: number;
  /** The key being checked when the budget ran out. */
  key: string;
  /** Most ops of that key that returned (`ok`, or a kept `fail`) linearized at once. */
  linearized: number;
  ops: number;
  /** Configurations explored on that key. */
  configurations: number;
}

/** The checker-specific fields of a linearizability result. */
export interface LinearizableDetails {
  /** The model's name. */
  model: string;
  /** Client operations in the history. */
  ops: number;
  /** Operations with no effect and no observation (failed writes, reads without result), left out. */
  dropped: number;
  /** Keys (partitions) in the history. */
  keyCount: number;
  /** Keys checked, in the order checked (first invoke first); checking stops at the first illegal key. */
  keys: KeyResult[];
  /** For an invalid result: the failing key's explanation. */
  counterexample?: Counterexample;
  /** For an unknown result caused by a budget: how far it got. */
  progress?: Progress;
  /**
   * Set when worker threads searched keys: how many, and how many of their searches were stopped or skipped because
   * an earlier key was found illegal (or the time ran out).
   */
  workers?: { threads: number; cancelled: number };
}

/** The linearizability checker's result. */
export type LinearizableResult = CheckResult<LinearizableDetails>;
