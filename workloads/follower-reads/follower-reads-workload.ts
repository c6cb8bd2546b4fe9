import type { Invocation, RedisSession, Workload } from "../workload.js";
import { followerReadsGenerator } from "./follower-reads-generator.js";

/** Options of {@link followerReadsWorkload}; every field has a default. */
export interface FollowerReadsWorkloadOptions {
  /** How many keys (default 3). */
  keys?: number;
  /** Prefix of the Redis keys (default `faultline:versions:`); the history names keys `v0`, `v1`, … */
  prefix?: string;
  /** Fraction of ops that read (default 0.6). */
  readFraction?: number;
  /** Fraction of reads sent to a follower (default 0.75); the rest read the leader. */
  followerFraction?: number;
}

/**
 * A write of a version that never moves a key backwards: it sets the key only when the new version is higher.
 * Two processes may write versions 7 and 8 of a key at once and 8 may land first; a plain `SET` of 7 would then
 * put the key back, and every later read — even from the leader — would look one version stale.
 */
export const WRITE_VERSION_SCRIPT =
  "local v = tonumber(redis.call('GET', KEYS[1]) or '0') " +
  "if tonumber(ARGV[1]) > v then redis.call('SET', KEYS[1], ARGV[1]) return 1 end return 0";

/**
 * The `follower-reads` workload: each key holds a version that only grows; writes go to the leader
 * ({@link WRITE_VERSION_SCRIPT}), reads go to a follower (an ioredis `role: "slave"` connection per client) or to
 * the leader, and every op records the node that served it. Each client process is a session. Judged by
 * `staleness` (monotonic reads and read-your-writes per session; how stale follower reads are, in versions and
 * ms, per node) and `split-brain` (two nodes acknowledging writes as leader at once). Replication lag itself is
 * sampled by the monitor (`replication-offsets`).
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
  const redisKey = (key: string | undefined): string => `${o.prefix}${key ?? ""}`;
  return {
    name: "follower-reads",
    description:
      "growing versions written at the leader, read from followers (role slave) and the leader, node recorded → " +
      "staleness (session guarantees, staleness per node) and split-brain",
    generator: followerReadsGenerator({
      keys,
      readFraction: o.readFraction,
      followerFraction: o.followerFraction,
    }),
    async perform(session: RedisSession, op: Invocation): Promise<unknown> {
      switch (op.f) {
        case "write":
          await session.leader.eval(WRITE_VERSION_SCRIPT, 1, redisKey(op.key), String(op.value));
          return op.value;
        case "read": {
          const conn = op.route === "follower" ? session.follower : session.leader;
          const v = await conn.get(redisKey(op.key));
          return v === null ? null : Number(v);
        }
        default:
          throw new Error(`the follower-reads workload has no op "${op.f}"`);
      }
    },
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
    prefix: options.prefix ?? "faultline:versions:",
    readFraction: options.readFraction ?? 0.6,
    followerFraction: options.followerFraction ?? 0.75,
  };
  if (!Number.isInteger(o.keys) || o.keys < 1) throw new RangeError(`keys must be ≥ 1, got ${o.keys}`);
  for (const name of ["readFraction", "followerFraction"] as const) {
    if (!(o[name] >= 0 && o[name] <= 1)) throw new RangeError(`${name} must be in [0, 1], got ${o[name]}`);
  }
  return o;
}
