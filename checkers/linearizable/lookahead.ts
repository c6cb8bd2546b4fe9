/**
 * Lookahead: an optional ability of a model whose states only grow between blind ops (a string by appends, a set
 * by adds), so that a read still to come tells the search early that the state it just built is a dead end.
 *
 * Without it, the search finds out only when that read's return is reached: with 50 clients a key sees runs of a
 * dozen concurrent appends between two reads, and the search tried every order of them (millions of
 * configurations) before the read that pins their order was reached.
 */
import { hasAbsorbing } from "./absorbing.js";
import type { AnyModel, Model } from "./model.js";
import { BLIND, PRESERVING } from "./partition.js";
import type { Partition } from "./partition.js";

/** The ability: whether a state can still grow into one where an observation is legal. */
export interface Lookahead<S, I, O> {
  /**
   * False only when no sequence of legal steps of ops that are not blind (see `Model.effect`) leads from `state`
   * to a state where the state-preserving op (`input`, `output`) is legal; true when it may. Must be pure, and
   * cheap: the search asks it for every new configuration.
   */
  reaches(state: S, input: I, output: O): boolean;
}

/** A model with the lookahead ability. */
export type LookaheadModel<S, I, O> = Model<S, I, O> & Lookahead<S, I, O>;

/** True when `model` has the lookahead ability. */
export function hasLookahead<S, I, O>(model: Model<S, I, O>): model is LookaheadModel<S, I, O>;
export function hasLookahead(model: AnyModel): boolean {
  return typeof (model as Partial<Lookahead<unknown, unknown, unknown>>).reaches === "function";
}

/**
 * How many list nodes (calls and returns of ops not linearized yet) {@link deadAhead} looks at: enough to see past
 * a few reads and the calls between them; the nearest reads are the ones a wrong order contradicts first.
 */
export const LOOKAHEAD_NODES = 64;

/**
 * How many blind ops {@link deadAhead} looks past (each is another state a later read may start from), not counting
 * those that leave an absorbing state.
 */
export const LOOKAHEAD_BLIND = 4;

/**
 * The first read that can no longer be legal once the search has moved to state `s` by linearizing op `skip`, or
 * -1. Walks the event list of the ops not linearized yet (`next`, from the head) in history order: every op that
 * returned must be linearized after the current point, and only the ops invoked before a read returns can come
 * before it. So a read must find a state that grows from `s`, or from the state a blind op invoked before the
 * read's return leaves (the last blind op before it, if any, is one of those). `skip`'s own events are passed over
 * (they are still in the list).
 */
export function deadAhead<S>(
  model: LookaheadModel<S, unknown, unknown>,
  s: S,
  part: Partition,
  next: Int32Array,
  skip: number,
): number {
  const { finite, effects, inputs, outputs } = part;
  const absorbing = hasAbsorbing(model) ? model : undefined;
  const resets: S[] = [];
  let counted = 0;
  let node = next[0];
  for (let k = 0; k < LOOKAHEAD_NODES; k++) {
    const i = (node - 1) >>> 1;
    if (i >= part.n) return -1; // the tail
    if (i !== skip) {
      if ((node & 1) === 1) {
        if (effects[i] === BLIND) {
          // A blind op leaves the same state wherever it is legal; if it is not legal here, it is unknown.
          const r = model.step(s, inputs[i], outputs[i]);
          if (!r.ok) return -1;
          // A reset to an absorbing state (see `absorbing.ts`, kv's unread string) is kept but not counted: blind
          // ops that leave one are common and cheap to test against a read.
          if (absorbing === undefined || !absorbing.absorbing(r.state)) {
            if (counted === LOOKAHEAD_BLIND) return -1;
            counted++;
          }
          resets.push(r.state);
        }
      } else {
        if (finite[i] === 0) return -1; // returns at +∞ follow: no read returns after them
        if (
          effects[i] === PRESERVING &&
          !model.reaches(s, inputs[i], outputs[i]) &&
          !fromAny(model, resets, i, part)
        )
          return i;
      }
    }
    node = next[node];
  }
  return -1;
}

function fromAny<S>(
  model: LookaheadModel<S, unknown, unknown>,
  resets: S[],
  i: number,
  part: Partition,
): boolean {
  for (const r of resets) if (model.reaches(r, part.inputs[i], part.outputs[i])) return true;
  return false;
}
