import type { OpGenerator } from "../workload.js";

/** The state of {@link registerGenerator}: the next value to write and the last value given to each key. */
export interface RegisterGeneratorState {
  /** The next unique value (1, 2, 3, …; shared by every key). */
  readonly nextValue: number;
  /** Per key index: the last value a write or cas of this generator put there, or `null` before the first. */
  readonly last: readonly (number | null)[];
}

/** Options of {@link registerGenerator}, resolved (see `resolveRegisterOptions`). */
export interface RegisterGeneratorOptions {
  /** History keys, e.g. `["r0", "r1", "r2"]`. */
  keys: readonly string[];
  /** Fractions of reads and writes; the rest are compare-and-sets. */
  readFraction: number;
  writeFraction: number;
}

/**
 * The register generator: on a key picked at random, a `read` (value `null`), a `write v` or a
 * `cas [expected, v]`, where every `v` is unique in the run (1, 2, 3, … over all keys: unique values keep the
 * linearizability search small and make every read name the write it saw) and `expected` is the last value this
 * generator gave the key — usually still there, so most compare-and-sets swap when processes do not race. A cas on
 * a key nothing was written to yet is a write instead. Pure: the same state and random stream give the same ops.
 *
 * @example
 * const g = registerGenerator({ keys: ["r0"], readFraction: 0.4, writeFraction: 0.3 });
 * g.next(g.initial, { process: 0, random }).op; // e.g. { f: "write", key: "r0", value: 1 }
 */
export function registerGenerator(o: RegisterGeneratorOptions): OpGenerator<RegisterGeneratorState> {
  return {
    initial: { nextValue: 1, last: o.keys.map(() => null) },
    next(state, { random }) {
      const k = random.int(o.keys.length);
      const key = o.keys[k]!;
      const roll = random.next();
      if (roll < o.readFraction) return { op: { f: "read", key, value: null }, state };
      const v = state.nextValue;
      const last = state.last.slice();
      last[k] = v;
      const expected = state.last[k];
      const next = { nextValue: v + 1, last };
      if (roll < o.readFraction + o.writeFraction || expected === null || expected === undefined) {
        return { op: { f: "write", key, value: v }, state: next };
      }
      return { op: { f: "cas", key, value: [expected, v] }, state: next };
    },
  };
}
