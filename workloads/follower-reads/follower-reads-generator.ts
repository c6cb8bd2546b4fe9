import type { OpGenerator } from "../workload.js";

/** Options of {@link followerReadsGenerator}, resolved (see `resolveFollowerReadsOptions`). */
export interface FollowerReadsGeneratorOptions {
  /** History keys, e.g. `["v0", "v1"]`. */
  keys: readonly string[];
  /** Fraction of ops that read; the rest write. */
  readFraction: number;
  /** Fraction of reads sent to a follower; the rest go to the leader. */
  followerFraction: number;
}

/**
 * The follower-reads generator: on a key picked at random, a `write v` where v is the key's next version (1, 2,
 * 3, … per key, in the order ops are generated — so a write invoked after another write of the key was
 * acknowledged always carries a higher version, the staleness checker's contract), or a `read` (value `null`)
 * routed to a follower or to the leader. The state is the last version given to each key.
 *
 * @example
 * const g = followerReadsGenerator({ keys: ["v0"], readFraction: 0.6, followerFraction: 0.75 });
 * g.next(g.initial, { process: 0, random }).op; // e.g. { f: "read", key: "v0", value: null, route: "follower" }
 */
export function followerReadsGenerator(o: FollowerReadsGeneratorOptions): OpGenerator<readonly number[]> {
  return {
    initial: o.keys.map(() => 0),
    next(state, { random }) {
      const k = random.int(o.keys.length);
      const key = o.keys[k]!;
      if (random.next() < o.readFraction) {
        const route = random.next() < o.followerFraction ? "follower" : "leader";
        return { op: { f: "read", key, value: null, route }, state };
      }
      const versions = state.slice();
      versions[k] = state[k]! + 1;
      return { op: { f: "write", key, value: versions[k] }, state: versions };
    },
  };
}
