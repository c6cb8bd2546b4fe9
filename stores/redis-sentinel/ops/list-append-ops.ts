import type { Invocation, ListMop } from "../../../workloads/index.js";
import { runTransaction } from "./run-transaction.js";
import type { RedisSession } from "./session.js";

/** Where the lists live: the history's key 3 is the Redis key `faultline:list:3`. */
export const LIST_PREFIX = "faultline:list:";

/**
 * The `list-append` workload on Redis: each `txn` is `MULTI`, `RPUSH` / `LRANGE 0 -1` per micro-op, `EXEC` on the
 * leader, sent command by command ({@link runTransaction}).
 */
export async function performListAppend(session: RedisSession, op: Invocation): Promise<unknown> {
  if (op.f !== "txn") throw new Error(`the list-append workload has no op "${op.f}"`);
  return runTransaction(session.leader, op.value as ListMop[], (k) => `${LIST_PREFIX}${k}`);
}
