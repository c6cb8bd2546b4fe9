/**
 * The shape of a sequential specification, after porcupine's `Model`: a handful of pure functions. The checker
 * never looks inside a state; it only steps, compares and describes states through the model.
 */

/** How a logical operation ended, as far as a model is concerned. */
export type CallType = "ok" | "info" | "fail";

/**
 * One logical operation of the history, paired: the invoke's arguments and how it completed. `info` also
 * covers an invoke that never completed. The model turns it into its own input/output with `operation`.
 */
export interface Call {
  /** The invoke's `f`. */
  f: string;
  /** The invoke's `key`, if any. */
  key: string | undefined;
  /** The invoke's `value`: the op's arguments (DESIGN.md: `fail` and `info` carry the invoke's arguments). */
  args: unknown;
  /** The `ok` completion's `value` (what a read returned); `undefined` for `info` and `fail`. */
  result: unknown;
  type: CallType;
  /** The completion's `error`, if any. */
  error: string | undefined;
}

/** A legal step and the state it leaves. */
export type Legal<S> = { readonly ok: true; readonly state: S };

/** The outcome of applying one operation to a state: legal with the next state, or illegal. */
export type StepResult<S> = Legal<S> | { readonly ok: false };

/** The one illegal step result; models return it instead of allocating. */
export const ILLEGAL: StepResult<never> = Object.freeze({ ok: false as const });

/**
 * Builds a legal step result. Models prebuild these for fixed outcomes (the value a write leaves, the value a
 * read saw) so that most steps allocate nothing; results are never mutated.
 */
export function legal<S>(state: S): Legal<S> {
  return { ok: true, state };
}

/** What a model makes of a call: its input and output, or `null` when the call has no effect and no constraint. */
export interface Operation<I, O> {
  input: I;
  output: O;
}

/**
 * A sequential specification of one object (a register, a key's string, a set, a counter).
 *
 * All functions are pure. `step` must be legal for every state when the call's outcome is unknown (`info`),
 * and must not return an illegal result for an operation whose output carries no observation.
 */
export interface Model<S, I, O> {
  /** The name it is registered under (`register`, `cas-register`, …). */
  readonly name: string;
  /** The state of every object before the history begins. */
  init(): S;
  /** Applies `input` with observed `output` to `state`: illegal if the output could not be observed there. */
  step(state: S, input: I, output: O): StepResult<S>;
  /** True when two states behave identically from now on. */
  equal(a: S, b: S): boolean;
  /** A 32-bit hash consistent with `equal` (equal states hash alike). */
  hash(state: S): number;
  /**
   * The object a call touches: calls on different objects are checked independently (P-compositionality). It is
   * asked at the invoke, so only `f`, `key` and `args` are meaningful. The checker reuses `call`: do not keep it.
   */
  partition(call: Call): string;
  /**
   * The call's input and output, or `null` when it neither changes the state nor observes it (a failed write, a
   * read that timed out). Throws {@link ModelInputError} when the model does not know the call. The checker
   * reuses `call`: do not keep it.
   */
  operation(call: Call): Operation<I, O> | null;
  /** The operation in a few words: `read → 3`, `write 4`, `cas 3 → 0 (swapped)`. */
  describeOperation(input: I, output: O): string;
  /** The state in a few words: `3`, `null`, `"x 1 y"`, `{1, 2}`. */
  describeState(state: S): string;
  /**
   * What kind of effect an operation has, when it is legal: `blind` (the next state does not depend on the state
   * before: a write), `preserving` (the state stays as it was: a read, a cas that did not swap) or `other`. When
   * every op of a key is `blind` or `preserving`, the search tries an op of unknown outcome only where it makes a
   * blocked op legal, which keeps many timeouts cheap. Omitted: every op is `other` (always correct, slower).
   */
  effect?(input: I, output: O): Effect;
  /** Approximate bytes a state keeps alive, for the memory budget (default 16). */
  stateBytes?(state: S): number;
}

/** How an operation changes the state when it is legal (see {@link Model.effect}). */
export type Effect = "blind" | "preserving" | "other";

/** A model of any state, input and output type, as the checker handles them. */
export type AnyModel = Model<any, any, any>;

/** Thrown by `Model.operation` for a call the model cannot interpret (unknown `f`, malformed `value`). */
export class ModelInputError extends Error {
  override readonly name = "ModelInputError";
}
