import type { Workload } from "../workload.js";
import { followerReadsGenerator } from "./follower-reads-generator.js";

/** Options of {@link followerReadsWorkload}; every field has a default. */
export interface FollowerReadsWorkloadOptions {
  /** How many keys (default 3). */
  keys?: number;
  /** Fraction of ops that read (default 0.6). */
  readFraction?: number;
  /** Fraction of reads sent to a follower (default 0.75); the rest read the leader. */
  followerFraction?: number;
}

/**
 * The `follower-reads` workload: each key (`v0`, `v1`, …) holds a version that only grows (a write of a lower
 * version than the key holds leaves it as it is); writes go to the leader, reads go to a follower (one follower
 * connection per client) or to the leader, and every op records the node that served it. Each client process is a session. Judged by
 * `staleness` (monotonic reads and read-your-writes per session; how stale follower reads are, in versions and
 * ms, per node) and `split-brain` (two nodes acknowledging writes as leader at once). Replication lag itself is
 * sampled by the monitor (`replication-positions`).
 *
 * @example
 * const w = followerReadsWorkload({ keys: 2 });
 * w.usesFollowers; // true
 */
export function followerReadsWorkload(
  options: FollowerReadsWorkloadOptions = {},
): Workload<readonly number[]> {
  const o = resolveFollowerReadsOptions(options);
  const keys = Array.from({ length: o.keys }, (_, i) => `v${i}`);
  return {
    name: "follower-reads",
    description:
      "growing versions written at the leader, read from followers and the leader, node recorded → " +
      "staleness (session guarantees, staleness per node) and split-brain",
    generator: followerReadsGenerator({
      keys,
      readFraction: o.readFraction,
      followerFraction: o.followerFraction,
    }),
    isWrite: (op) => op.f === "write",
    usesFollowers: true,
    finalReads: keys.map((key) => ({ f: "read", key, value: null, route: "leader" })),
    checkers: [
      { name: "staleness", options: {} },
      { name: "split-brain", options: {} },
    ],
  };
}

/** Fills in {@link FollowerReadsWorkloadOptions}' defaults and checks them (a RangeError names the bad option). */
export function resolveFollowerReadsOptions(
  options: FollowerReadsWorkloadOptions,
): Required<FollowerReadsWorkloadOptions> {
  const o = {
    keys: options.keys ?? 3,
    readFraction: options.readFraction ?? 0.6,
    followerFraction: options.followerFraction ?? 0.75,
  };
  if (!Number.isInteger(o.keys) || o.keys < 1) throw new RangeError(`keys must be ≥ 1, got ${o.keys}`);
  for (const name of ["readFraction", "followerFraction"] as const) {
    if (!(o[name] >= 0 && o[name] <= 1)) throw new RangeError(`${name} must be in [0, 1], got ${o[name]}`);
  }
  return o;
}
