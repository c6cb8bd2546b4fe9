/**
 * Refine: an optional ability of a model that can make a key's search smaller once it sees all of the key's
 * operations, by merging states that no operation of the key can tell apart.
 */
import type { AnyModel, Model } from "./model.js";

/** The ability. */
export interface Refine<I, O> {
  /**
   * Rewrites a key's operations in place before the search (`inputs[i]`, `outputs[i]`: op i's). It must keep every
   * sequence of them legal or illegal as it was; it may make two states equal when no operation of the key can
   * tell them apart any more (a value no read of the key ever returned), so the search explores fewer. Must be pure
   * and take time about linear in the key's operations.
   */
  refine(inputs: I[], outputs: O[]): void;
}

/** True when `model` has the refine ability. */
export function hasRefine<S, I, O>(model: Model<S, I, O>): model is Model<S, I, O> & Refine<I, O>;
export function hasRefine(model: AnyModel): boolean {
  return typeof (model as Partial<Refine<unknown, unknown>>).refine === "function";
}
