import type { Invocation, OpGenerator, RedisSession, Workload } from "../workload.js";

/** Options of {@link setWorkload}. */
export interface SetWorkloadOptions {
  /** The Redis key of the set (default `faultline:set`). */
  key?: string;
}

/**
 * The `set` workload (issue 3): every process adds unique integers to one Redis set with `SADD`; the final
 * read takes the whole set with `SMEMBERS` from the leader. Judged by the `set` checker: acknowledged adds
 * missing from the final read are lost, elements read but never attempted are unexpected, and `info` adds that
 * were read are recovered.
 *
 * @example
 * const workload = setWorkload();
 * workload.finalReads; // [{ f: "read", key: "faultline:set", value: null }]
 */
export function setWorkload(options: SetWorkloadOptions = {}): Workload<number> {
  const key = options.key ?? "faultline:set";
  return {
    name: "set",
    generator: setGenerator(key),
    async perform(session: RedisSession, op: Invocation): Promise<unknown> {
      switch (op.f) {
        case "add":
          // SADD returns how many members were new; the op succeeded either way (values are unique per run,
          // so a 0 can only come from a retried command, which the client settings rule out).
          await session.leader.sadd(key, String(op.value));
          return op.value;
        case "read": {
          const members = await session.leader.smembers(key);
          return members.map(Number).sort((a, b) => a - b);
        }
        default:
          throw new Error(`the set workload has no op "${op.f}"`);
      }
    },
    finalReads: [{ f: "read", key, value: null }],
    checkers: [{ name: "set", options: {} }],
  };
}

/**
 * The set generator: `add 0`, `add 1`, … in the order processes ask, so every value is attempted at most once
 * in the run, whatever process performs it.
 */
export function setGenerator(key: string): OpGenerator<number> {
  return {
    initial: 0,
    next(state) {
      return { op: { f: "add", key, value: state }, state: state + 1 };
    },
  };
}
