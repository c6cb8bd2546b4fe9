import type { Invocation } from "../../../workloads/index.js";
import type { RedisSession } from "./session.js";

/** Where the counters live: the history's key `c0` is the Redis key `faultline:counter:c0`. */
export const COUNTER_PREFIX = "faultline:counter:";

/** The `counter` workload on Redis: `INCRBY` of the delta and `GET` (a missing counter reads 0), on the leader. */
export async function performCounter(session: RedisSession, op: Invocation): Promise<unknown> {
  const key = `${COUNTER_PREFIX}${op.key ?? ""}`;
  switch (op.f) {
    case "incr":
      await session.leader.incrby(key, op.value as number);
      return op.value;
    case "read": {
      const v = await session.leader.get(key);
      return v === null ? 0 : Number(v);
    }
    default:
      throw new Error(`the counter workload has no op "${op.f}"`);
  }
}
