import { OpNotApplied, type Invocation } from "../../../workloads/index.js";
import type { RedisSession } from "./session.js";

/** Where the registers live: the history's key `r0` is the Redis key `faultline:register:r0`. */
export const REGISTER_PREFIX = "faultline:register:";

/**
 * Compare-and-set as one Lua script, so the compare and the write are atomic on the leader and replicate as one
 * unit. It writes only as its last step, so an error before that leaves nothing applied.
 */
export const CAS_SCRIPT =
  "if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2]) return 1 end return 0";

/**
 * The `register` workload on Redis: `GET`, `SET` and compare-and-set ({@link CAS_SCRIPT}) on the leader. A cas
 * that ran and did not swap completes `fail` without an error ({@link OpNotApplied}), as the `cas-register`
 * model's contract asks.
 */
export async function performRegister(session: RedisSession, op: Invocation): Promise<unknown> {
  const key = `${REGISTER_PREFIX}${op.key ?? ""}`;
  switch (op.f) {
    case "read": {
      const v = await session.leader.get(key);
      return v === null ? null : Number(v);
    }
    case "write":
      await session.leader.set(key, String(op.value));
      return op.value;
    case "cas": {
      const [expected, next] = op.value as [number, number];
      const swapped = await session.leader.eval(CAS_SCRIPT, 1, key, String(expected), String(next));
      if (swapped !== 1) throw new OpNotApplied();
      return op.value;
    }
    default:
      throw new Error(`the register workload has no op "${op.f}"`);
  }
}
