import type { Redis } from "ioredis";
import type { Random } from "../harness/random/index.js";

/** One operation a workload asks a client to perform: the `f`, `key` and `value` of its invoke. */
export interface Invocation {
  f: string;
  key?: string;
  /** Arguments; a read invokes with `null`. */
  value: unknown;
}

/** What a generator knows when it produces an op: who asks, and the run's seeded randomness. */
export interface GeneratorContext {
  /** The logical process that will perform the op. */
  process: number;
  random: Random;
}

/**
 * A workload's operation generator: a pure step function over an explicit state, so it is tested without a
 * cluster and replays from the seed (STYLE.md §11). The run loop holds the state and asks for one op at a time.
 */
export interface OpGenerator<S = unknown> {
  readonly initial: S;
  next(state: S, ctx: GeneratorContext): { op: Invocation; state: S };
}

/** The connections a workload's client code gets: the leader as the failover managers name it. */
export interface RedisSession {
  /** An ioredis connection that follows the leader (Sentinel mode, through this client's proxy listeners). */
  readonly leader: Redis;
}

/** A checker a workload's histories are judged by, as named in `config.json`. */
export interface WorkloadChecker {
  name: string;
  options: Record<string, unknown>;
}

/**
 * A workload (DESIGN.md "Layout"): what to do, how a client does it against the store, how to read the final
 * state, and which checkers judge the history. A workload never imports a backend.
 *
 * @example
 * const w = setWorkload();
 * let state = w.generator.initial;
 * const { op } = w.generator.next(state, { process: 0, random: createRandom(1) }); // { f: "add", key, value: 0 }
 */
export interface Workload<S = unknown> {
  readonly name: string;
  readonly generator: OpGenerator<S>;
  /**
   * Performs one op and resolves with the value to record on `ok`. Throwing means the op did not complete
   * normally; the client classifies the error as `fail` or `info`. Use single commands (no pipelines), so an
   * error maps to one op.
   */
  perform(session: RedisSession, op: Invocation): Promise<unknown>;
  /** Ops to perform once the cluster has recovered, retried until they succeed (e.g. a read of the whole set). */
  readonly finalReads: readonly Invocation[];
  readonly checkers: readonly WorkloadChecker[];
}
