import type { OpGenerator } from "../workload.js";

/** Options of {@link counterGenerator}, resolved (see `resolveCounterOptions`). */
export interface CounterGeneratorOptions {
  /** History keys of the counters, e.g. `["c0"]`. */
  keys: readonly string[];
  /** Fraction of reads; the rest are increments. */
  readFraction: number;
  /** Increments add 1…`maxDelta`. */
  maxDelta: number;
}

/**
 * The counter generator: on a counter picked at random, a `read` (value `null`) or an `incr d` with d drawn from
 * 1…`maxDelta` (deltas other than 1 make a read's value say more about which increments it saw). Stateless
 * apart from the random stream, so its state is always `null`.
 *
 * @example
 * const g = counterGenerator({ keys: ["c0"], readFraction: 0.3, maxDelta: 5 });
 * g.next(null, { process: 0, random }).op; // e.g. { f: "incr", key: "c0", value: 3 }
 */
export function counterGenerator(o: CounterGeneratorOptions): OpGenerator<null> {
  return {
    initial: null,
    next(state, { random }) {
      const key = o.keys[random.int(o.keys.length)]!;
      if (random.next() < o.readFraction) return { op: { f: "read", key, value: null }, state };
      return { op: { f: "incr", key, value: 1 + random.int(o.maxDelta) }, state };
    },
  };
}
