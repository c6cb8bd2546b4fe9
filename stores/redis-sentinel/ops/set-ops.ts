import type { Invocation } from "../../../workloads/index.js";
import type { RedisSession } from "./session.js";

/**
 * The `set` workload on Redis: `add` is `SADD` of the element to the set named by the op's key, `read` is
 * `SMEMBERS` on the leader, sorted numerically. `SADD` returns how many members were new; the op succeeded either
 * way (values are unique per run, so a 0 can only come from a retried command, which the client settings rule out).
 */
export async function performSet(session: RedisSession, op: Invocation): Promise<unknown> {
  const key = op.key ?? "faultline:set";
  switch (op.f) {
    case "add":
      await session.leader.sadd(key, String(op.value));
      return op.value;
    case "read": {
      const members = await session.leader.smembers(key);
      return members.map(Number).sort((a, b) => a - b);
    }
    default:
      throw new Error(`the set workload has no op "${op.f}"`);
  }
}
