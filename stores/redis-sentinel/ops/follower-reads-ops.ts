import type { Invocation } from "../../../workloads/index.js";
import type { RedisSession } from "./session.js";

/** Where the versions live: the history's key `v0` is the Redis key `faultline:versions:v0`. */
export const VERSIONS_PREFIX = "faultline:versions:";

/**
 * A write of a version that never moves a key backwards: it sets the key only when the new version is higher.
 * Two processes may write versions 7 and 8 of a key at once and 8 may land first; a plain `SET` of 7 would then
 * put the key back, and every later read — even from the leader — would look one version stale.
 */
export const WRITE_VERSION_SCRIPT =
  "local v = tonumber(redis.call('GET', KEYS[1]) or '0') " +
  "if tonumber(ARGV[1]) > v then redis.call('SET', KEYS[1], ARGV[1]) return 1 end return 0";

/**
 * The `follower-reads` workload on Redis: writes at the leader ({@link WRITE_VERSION_SCRIPT}), reads with `GET`
 * from a follower (an ioredis `role: "slave"` connection per client) or from the leader, as the op's route says.
 */
export async function performFollowerReads(session: RedisSession, op: Invocation): Promise<unknown> {
  const key = `${VERSIONS_PREFIX}${op.key ?? ""}`;
  switch (op.f) {
    case "write":
      await session.leader.eval(WRITE_VERSION_SCRIPT, 1, key, String(op.value));
      return op.value;
    case "read": {
      const conn = op.route === "follower" ? session.follower : session.leader;
      const v = await conn.get(key);
      return v === null ? null : Number(v);
    }
    default:
      throw new Error(`the follower-reads workload has no op "${op.f}"`);
  }
}
