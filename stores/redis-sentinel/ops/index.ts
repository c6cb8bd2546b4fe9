import { performCounter } from "./counter-ops.js";
import { performFollowerReads } from "./follower-reads-ops.js";
import { performListAppend } from "./list-append-ops.js";
import { performRegister } from "./register-ops.js";
import type { RedisOp } from "./session.js";
import { performSet } from "./set-ops.js";

export type { RedisSession, RedisOp } from "./session.js";
export { performSet } from "./set-ops.js";
export { performRegister, CAS_SCRIPT, REGISTER_PREFIX } from "./register-ops.js";
export { performCounter, COUNTER_PREFIX } from "./counter-ops.js";
export { performFollowerReads, WRITE_VERSION_SCRIPT, VERSIONS_PREFIX } from "./follower-reads-ops.js";
export { performListAppend, LIST_PREFIX } from "./list-append-ops.js";
export { runTransaction } from "./run-transaction.js";

/** How Redis performs each workload's ops, by workload name. */
export const REDIS_OPS: Readonly<Record<string, RedisOp>> = {
  set: performSet,
  register: performRegister,
  "list-append": performListAppend,
  counter: performCounter,
  "follower-reads": performFollowerReads,
};
