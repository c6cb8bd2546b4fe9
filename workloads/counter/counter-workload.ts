import type { Invocation, RedisSession, Workload } from "../workload.js";
import { counterGenerator } from "./counter-generator.js";

/** Options of {@link counterWorkload}; every field has a default. */
export interface CounterWorkloadOptions {
  /** How many counters (default 1). */
  keys?: number;
  /** Prefix of the Redis keys (default `faultline:counter:`); the history names keys `c0`, `c1`, … */
  prefix?: string;
  /** Fraction of reads (default 0.3). */
  readFraction?: number;
  /** Increments add 1…maxDelta (default 5). */
  maxDelta?: number;
}

/**
 * The `counter` workload: `INCRBY` of small positive deltas and `GET` reads on the leader; the final reads read
 * every counter. Judged by `counter`: every read must lie between the increments acknowledged before it began and
 * those that may have applied by its end. Under failover, lost increments show as reads below the lower bound.
 *
 * @example
 * const w = counterWorkload();
 * w.finalReads; // [{ f: "read", key: "c0", value: null }]
 */
export function counterWorkload(options: CounterWorkloadOptions = {}): Workload<null> {
  const o = resolveCounterOptions(options);
  const keys = Array.from({ length: o.keys }, (_, i) => `c${i}`);
  const redisKey = (key: string | undefined): string => `${o.prefix}${key ?? ""}`;
  return {
    name: "counter",
    description:
      "INCRBY small positive deltas and GET reads on the leader → counter (every read within the bounds the " +
      "acknowledged and possible increments allow)",
    generator: counterGenerator({ keys, readFraction: o.readFraction, maxDelta: o.maxDelta }),
    async perform(session: RedisSession, op: Invocation): Promise<unknown> {
      switch (op.f) {
        case "incr":
          await session.leader.incrby(redisKey(op.key), op.value as number);
          return op.value;
        case "read": {
          const v = await session.leader.get(redisKey(op.key));
          return v === null ? 0 : Number(v);
        }
        default:
          throw new Error(`the counter workload has no op "${op.f}"`);
      }
    },
    isWrite: (op) => op.f === "incr",
    usesFollowers: false,
    finalReads: keys.map((key) => ({ f: "read", key, value: null })),
    checkers: [{ name: "counter", options: {} }],
  };
}

/** Fills in {@link CounterWorkloadOptions}' defaults and checks them (a RangeError names the bad option). */
export function resolveCounterOptions(options: CounterWorkloadOptions): Required<CounterWorkloadOptions> {
  const o = {
    keys: options.keys ?? 1,
    prefix: options.prefix ?? "faultline:counter:",
    readFraction: options.readFraction ?? 0.3,
    maxDelta: options.maxDelta ?? 5,
  };
  if (!Number.isInteger(o.keys) || o.keys < 1) throw new RangeError(`keys must be ≥ 1, got ${o.keys}`);
  if (!(o.readFraction >= 0 && o.readFraction <= 1)) {
    throw new RangeError(`readFraction must be in [0, 1], got ${o.readFraction}`);
  }
  if (!Number.isInteger(o.maxDelta) || o.maxDelta < 1) {
    throw new RangeError(`maxDelta must be an integer ≥ 1, got ${o.maxDelta}`);
  }
  return o;
}
