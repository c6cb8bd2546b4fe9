import type { Invocation } from "../core/clients/index.js";
import type { Random } from "../core/random/index.js";

export type { Invocation } from "../core/clients/index.js";

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

/** A checker a workload's histories are judged by, as named in `config.json`. */
export interface WorkloadChecker {
  name: string;
  options: Record<string, unknown>;
}

/**
 * Thrown by a store's op code when the op definitely had no effect although the store ran it — a
 * compare-and-set whose compare did not match, a transaction the store aborted. The op completes as `fail`,
 * with `error` only when one is given: the `cas-register` contract reads a `fail` without an error as "ran and
 * did not swap", and one with an error as a refusal.
 *
 * @example
 * if (swapped === 0) throw new OpNotApplied(); // cas: the register did not hold the expected value
 */
export class OpNotApplied extends Error {
  constructor(
    /** Why, when it is a refusal rather than an observed non-effect; recorded as the completion's `error`. */
    readonly error?: string,
  ) {
    super(error ?? "the op ran and had no effect");
    this.name = "OpNotApplied";
  }
}

/** A micro-op of the list-append workload: an append of a value to a list, or a read of a whole list. */
export type ListMop = readonly ["append", number, number] | readonly ["r", number, readonly number[] | null];

/**
 * A workload (DESIGN.md "Layout"): what to do, how to read the final state, and which checkers judge the history.
 * How each op is performed belongs to the store's adapter (`stores/<kind>/`), which knows every workload by its
 * name; a workload never imports a backend or a store.
 *
 * @example
 * const w = setWorkload();
 * let state = w.generator.initial;
 * const { op } = w.generator.next(state, { process: 0, random: createRandom(1) }); // { f: "add", key, value: 0 }
 */
export interface Workload<S = unknown> {
  readonly name: string;
  /** One line for `faultline workloads`: what it does and what judges it. */
  readonly description: string;
  readonly generator: OpGenerator<S>;
  /**
   * Told of every op just before it is performed (the run loop calls it), for workloads whose final reads depend
   * on what was done (list-append reads the lists transactions used).
   */
  observe?(op: Invocation): void;
  /**
   * Whether an acknowledged op wrote to the leader (a store whose replication mode acts per write, such as waiting
   * for followers' acknowledgements, uses it).
   */
  isWrite(op: Invocation): boolean;
  /** Whether clients need a connection to a follower (ops with `route: "follower"`). */
  readonly usesFollowers: boolean;
  /** Ops to perform once the cluster has recovered, retried until they succeed (e.g. a read of the whole set). */
  readonly finalReads: readonly Invocation[];
  readonly checkers: readonly WorkloadChecker[];
}
