import type { Redis } from "ioredis";
import type { Invocation } from "../../../workloads/index.js";

/**
 * The connections an op's Redis code gets. The node recorded as having served an op is the node behind the
 * connection the op last took from the session (read at the moment it took it), so the code names the node
 * simply by using the connection it means.
 */
export interface RedisSession {
  /** An ioredis connection that follows the leader (Sentinel mode, through this client's proxy listeners). */
  readonly leader: Redis;
  /**
   * An ioredis connection to one follower (Sentinel mode with `role: "slave"`: a follower the Sentinels list as
   * healthy, chosen by ioredis), for workloads with `usesFollowers`; other workloads get an error.
   */
  readonly follower: Redis;
}

/**
 * Performs one op of a workload with Redis commands and resolves with the value to record on `ok`. Throwing means
 * the op did not complete normally; the client classifies the error as `fail` or `info` (`OpNotApplied` is always
 * `fail`). Single commands (no pipelines), so an error maps to one op.
 */
export type RedisOp = (session: RedisSession, op: Invocation) => Promise<unknown>;
