import { OpNotApplied, type Invocation, type RedisSession, type Workload } from "../workload.js";
import { registerGenerator, type RegisterGeneratorState } from "./register-generator.js";

/** Options of {@link registerWorkload}; every field has a default. */
export interface RegisterWorkloadOptions {
  /** How many registers (Redis keys) ops spread over (default 3: few enough that processes contend). */
  keys?: number;
  /** Prefix of the Redis keys (default `faultline:register:`); the history names keys `r0`, `r1`, … */
  prefix?: string;
  /** Fraction of reads (default 0.4). */
  readFraction?: number;
  /** Fraction of writes (default 0.3); the rest are compare-and-sets. */
  writeFraction?: number;
}

/**
 * Compare-and-set as one Lua script, so the compare and the write are atomic on the leader and replicate as one
 * unit. It writes only as its last step, so an error before that leaves nothing applied.
 */
export const CAS_SCRIPT =
  "if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2]) return 1 end return 0";

/**
 * The `register` workload: reads (`GET`), writes (`SET`) and compare-and-sets ({@link CAS_SCRIPT}) of unique
 * integers on a few keys, all on the leader; the final reads read every key. Judged by `linearizable` with the
 * `cas-register` model, key by key: a cas that ran and did not swap completes `fail` without an error, as the
 * model's contract asks. Under `partition-leader` the isolated leader and the new one both acknowledge ops, which
 * no single order explains.
 *
 * @example
 * const w = registerWorkload({ keys: 2 });
 * w.finalReads; // [{ f: "read", key: "r0", value: null }, { f: "read", key: "r1", value: null }]
 */
export function registerWorkload(options: RegisterWorkloadOptions = {}): Workload<RegisterGeneratorState> {
  const o = resolveRegisterOptions(options);
  const keys = Array.from({ length: o.keys }, (_, i) => `r${i}`);
  const redisKey = (key: string | undefined): string => `${o.prefix}${key ?? ""}`;
  return {
    name: "register",
    description:
      "GET / SET / compare-and-set (Lua) of unique integers on a few keys at the leader → linearizable " +
      "(cas-register model, per key)",
    generator: registerGenerator({ keys, readFraction: o.readFraction, writeFraction: o.writeFraction }),
    async perform(session: RedisSession, op: Invocation): Promise<unknown> {
      switch (op.f) {
        case "read": {
          const v = await session.leader.get(redisKey(op.key));
          return v === null ? null : Number(v);
        }
        case "write":
          await session.leader.set(redisKey(op.key), String(op.value));
          return op.value;
        case "cas": {
          const [expected, next] = op.value as [number, number];
          const swapped = await session.leader.eval(
            CAS_SCRIPT,
            1,
            redisKey(op.key),
            String(expected),
            String(next),
          );
          if (swapped !== 1) throw new OpNotApplied();
          return op.value;
        }
        default:
          throw new Error(`the register workload has no op "${op.f}"`);
      }
    },
    isWrite: (op) => op.f === "write" || op.f === "cas",
    usesFollowers: false,
    finalReads: keys.map((key) => ({ f: "read", key, value: null })),
    checkers: [{ name: "linearizable", options: { model: "cas-register" } }],
  };
}

/** Fills in {@link RegisterWorkloadOptions}' defaults and checks them (a RangeError names the bad option). */
export function resolveRegisterOptions(options: RegisterWorkloadOptions): Required<RegisterWorkloadOptions> {
  const o = {
    keys: options.keys ?? 3,
    prefix: options.prefix ?? "faultline:register:",
    readFraction: options.readFraction ?? 0.4,
    writeFraction: options.writeFraction ?? 0.3,
  };
  if (!Number.isInteger(o.keys) || o.keys < 1) throw new RangeError(`keys must be ≥ 1, got ${o.keys}`);
  for (const name of ["readFraction", "writeFraction"] as const) {
    if (!(o[name] >= 0 && o[name] <= 1)) throw new RangeError(`${name} must be in [0, 1], got ${o[name]}`);
  }
  if (o.readFraction + o.writeFraction > 1) {
    throw new RangeError(
      `readFraction + writeFraction must be at most 1, got ${o.readFraction + o.writeFraction}`,
    );
  }
  return o;
}
