import type { Workload } from "../workload.js";
import { counterGenerator } from "./counter-generator.js";

/** Options of {@link counterWorkload}; every field has a default. */
export interface CounterWorkloadOptions {
  /** How many counters (default 1). */
  keys?: number;
  /** Fraction of reads (default 0.3). */
  readFraction?: number;
  /** Increments add 1…maxDelta (default 5). */
  maxDelta?: number;
}

/**
 * The `counter` workload: increments by small positive deltas and reads on the leader (keys `c0`, `c1`, …); the final reads read
 * every counter. Judged by `counter`: every read must lie between the increments acknowledged before it began and
 * those that may have applied by its end. Under failover, lost increments show as reads below the lower bound.
 *
 * @example
 * const w = counterWorkload();
 * w.finalReads; // [{ f: "read", key: "c0", value: null }]
 */
export function counterWorkload(options: CounterWorkloadOptions = {}): Workload<null> {
  const o = resolveCounterOptions(options);
  const keys = Array.from({ length: o.keys }, (_, i) => `c${i}`);
  return {
    name: "counter",
    description:
      "increments by small positive deltas and reads on the leader → counter (every read within the bounds the " +
      "acknowledged and possible increments allow)",
    generator: counterGenerator({ keys, readFraction: o.readFraction, maxDelta: o.maxDelta }),
    isWrite: (op) => op.f === "incr",
    usesFollowers: false,
    finalReads: keys.map((key) => ({ f: "read", key, value: null })),
    checkers: [{ name: "counter", options: {} }],
  };
}

/** Fills in {@link CounterWorkloadOptions}' defaults and checks them (a RangeError names the bad option). */
export function resolveCounterOptions(options: CounterWorkloadOptions): Required<CounterWorkloadOptions> {
  const o = {
    keys: options.keys ?? 1,
    readFraction: options.readFraction ?? 0.3,
    maxDelta: options.maxDelta ?? 5,
  };
  if (!Number.isInteger(o.keys) || o.keys < 1) throw new RangeError(`keys must be ≥ 1, got ${o.keys}`);
  if (!(o.readFraction >= 0 && o.readFraction <= 1)) {
    throw new RangeError(`readFraction must be in [0, 1], got ${o.readFraction}`);
  }
  if (!Number.isInteger(o.maxDelta) || o.maxDelta < 1) {
    throw new RangeError(`maxDelta must be an integer ≥ 1, got ${o.maxDelta}`);
  }
  return o;
}
