/**
 * Absorbing states: an optional ability of a model with a state that no observation can follow until a blind op
 * replaces it (the kv model's unread string: no get is legal from it until the next put). The search linearizes a
 * blind op that returned and leaves such a state unchanged at once, as it does a read, instead of trying it in every
 * position among the ops around it.
 *
 * Why that is safe: let X be blind, leaving state R wherever it is legal, and let the current state be R, absorbing.
 * Take any successful continuation and move X to its front: X changes nothing there; the ops it jumps over see the
 * same states as before; and where X used to be, the state is now whatever it was instead of R, from which every
 * sequence of ops legal from R is legal too. No op X jumps over had to precede it, since its call is on the frontier.
 */
import type { AnyModel, Model } from "./model.js";

/** The ability. */
export interface Absorbing<S> {
  /** True only when every sequence of ops legal from `state` is legal from any state. Must be pure and cheap. */
  absorbing(state: S): boolean;
}

/** A model with the ability. */
export type AbsorbingModel<S, I, O> = Model<S, I, O> & Absorbing<S>;

/** True when `model` has the absorbing-state ability. */
export function hasAbsorbing<S, I, O>(model: Model<S, I, O>): model is AbsorbingModel<S, I, O>;
export function hasAbsorbing(model: AnyModel): boolean {
  return typeof (model as Partial<Absorbing<unknown>>).absorbing === "function";
}
