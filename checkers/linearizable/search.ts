/**
 * The Wing–Gong / Lowe (WGL) search over one partition: walk a doubly-linked list of call and return events,
 * linearize a call when the model allows it and the (linearized set, state) configuration is new (lift it and
 * its return out of the list), backtrack when a return is reached whose op is not linearized yet (unlift).
 * Linearized sets are bitsets with an incremental Zobrist hash; the list, the stacks, the bitset and the cache are
 * typed arrays allocated once per check (a {@link Workspace}), so a step allocates nothing beyond what the model's
 * `step` returns.
 *
 * Ops whose outcome is unknown (`info`) return at +∞: their return events sit after every finite return, so they
 * may be linearized anywhere after their call, or never (the search stops as soon as every op that returned is
 * linearized), as in porcupine and Knossos.
 */
import { hasAbsorbing } from "./absorbing.js";
import { ADDED, OVER_BUDGET, PRESENT, StateCache } from "./cache.js";
import { ILLEGAL } from "./model.js";
import type { Model, StepResult } from "./model.js";
import { deadAhead, hasLookahead } from "./lookahead.js";
import { BLIND, PRESERVING } from "./partition.js";
import type { Partition } from "./partition.js";
import { mix32 } from "./values.js";

/** Limits of one search. `deadline` is in the units of `now`. */
export interface SearchBudget {
  readonly now: () => number;
  readonly deadline: number;
  readonly maxBytes: number;
  /** Loop iterations after which the search gives up with `steps` (checked with the clock; default: none). */
  readonly maxSteps?: number;
}

/** How a search goes about it. */
export interface SearchMode {
  /**
   * Use the model's lookahead (see `lookahead.ts`), if it has one (default true). Without it the search is plain
   * WGL: slower on many clients, but the op it names at its deepest dead end is always one that could not be
   * linearized there, which is what an explanation wants.
   */
  readonly lookahead?: boolean;
}

/** The deepest partial linearization the search built, and the op that could not follow it. */
export interface Peak<S> {
  /** Local op numbers, in linearization order. */
  readonly ops: Int32Array;
  /** The model state after each op of `ops`. */
  readonly states: S[];
  /** The op whose return was reached while it could not be linearized. */
  readonly blocker: number;
}

/**
 * What a second, identical search collects for an explanation: the deepest partial linearization (copied when the
 * search first reaches `depth`, as the first search did) and every state `blocker` was tried from. The first
 * search copies nothing, so a valid key never pays for explanations.
 */
export interface Probe<S> {
  /** The op the first search found blocked at its deepest point. */
  readonly blocker: number;
  /** The first search's deepest point (ops that returned, linearized). */
  readonly depth: number;
  /** Set when the search reaches `depth`. */
  peak?: Peak<S>;
  /** Distinct states from which `blocker`'s step was illegal (at most {@link WATCH_LIMIT}). */
  readonly illegalFrom: S[];
  /** True if there were more distinct illegal states than were kept. */
  truncated: boolean;
  /** True if `blocker`'s step was legal from some state the search reached. */
  legalSomewhere: boolean;
}

/** How many distinct states a probe keeps. */
export const WATCH_LIMIT = 8;

/**
 * The outcome of a search. `steps` counts loop iterations; `depth` is the most ops that returned linearized at once
 * (for `ok`, the ops linearized at the end).
 */
export type SearchOutcome =
  | { readonly kind: "ok"; readonly steps: number; readonly depth: number; readonly cached: number }
  | {
      readonly kind: "illegal";
      readonly steps: number;
      readonly depth: number;
      readonly cached: number;
      /** The op whose return was reached, not linearized, at the deepest point. */
      readonly blocker: number;
    }
  | {
      /** Out of time, out of memory, or past `maxSteps`. */
      readonly kind: "timeout" | "memory" | "steps";
      readonly steps: number;
      readonly depth: number;
      readonly cached: number;
    };

/** Deterministic per-op hash words (splitmix32), so results never depend on a random seed. */
function zobrist(n: number): Int32Array {
  const z = new Int32Array(n);
  let x = 0x9e3779b9;
  for (let i = 0; i < n; i++) {
    x = (x + 0x9e3779b9) | 0;
    let t = x ^ (x >>> 16);
    t = Math.imul(t, 0x21f0aaad);
    t ^= t >>> 15;
    t = Math.imul(t, 0x735a2d97);
    z[i] = t ^ (t >>> 15);
  }
  return z;
}

/** The last pass over a configuration's frontier (passes are numbered 0, 1, 2; see `search`). */
const LAST = 2;

/** The pass recorded for an op linearized before any pass, as the one legal read of its configuration. */
const GREEDY = 3;

/** Lifts call node `cn` and its return (`cn + 1`) out of the list. */
function lift(next: Int32Array, prev: Int32Array, cn: number): void {
  const rn = cn + 1;
  next[prev[cn]] = next[cn];
  prev[next[cn]] = prev[cn];
  next[prev[rn]] = next[rn];
  prev[next[rn]] = prev[rn];
}

/** How many blocked ops per depth pass 1 tests an optional op against. */
const BLOCKED = 4;

/** True when some op blocked at this depth (illegal in pass 0) is legal from `s`, or when too many were blocked. */
function unblocks<S>(
  model: Model<S, unknown, unknown>,
  s: S,
  blocked: Int32Array,
  depth: number,
  count: number,
  inputs: unknown[],
  outputs: unknown[],
): boolean {
  if (count > BLOCKED) return true;
  for (let k = 0; k < count; k++) {
    const b = blocked[depth * BLOCKED + k];
    if (model.step(s, inputs[b], outputs[b]).ok) return true;
  }
  return false;
}

/**
 * How often (in loop iterations, a power of two minus one) the clock is read: every 256 iterations is well under
 * a millisecond for the built-in models, and a clock reading costs about as much as one iteration.
 */
const CLOCK_MASK = 255;

/**
 * The typed arrays a search works in, kept from one key to the next (a million ops over a thousand keys would
 * otherwise allocate ten thousand arrays). Grows to the largest key; one per check.
 */
export class Workspace {
  capacity = -1;
  next: Int32Array = new Int32Array(0);
  prev: Int32Array = new Int32Array(0);
  bits: Int32Array = new Int32Array(0);
  zob: Int32Array = new Int32Array(0);
  opStack: Int32Array = new Int32Array(0);
  passStack: Uint8Array = new Uint8Array(0);
  infoStack: Int32Array = new Int32Array(0);
  blocked: Int32Array = new Int32Array(0);
  blockedCount: Uint8Array = new Uint8Array(0);
  stateStack: unknown[] = [];
  readonly cache = new StateCache<unknown>();

  /** Makes room for `n` ops. */
  ensure(n: number): void {
    if (n <= this.capacity) return;
    const c = Math.max(n, 2 * this.capacity, 64);
    this.capacity = c;
    this.next = new Int32Array(2 * c + 2);
    this.prev = new Int32Array(2 * c + 2);
    this.bits = new Int32Array((c + 31) >>> 5);
    this.zob = zobrist(c);
    this.opStack = new Int32Array(c);
    this.passStack = new Uint8Array(c);
    this.infoStack = new Int32Array(c);
    this.blocked = new Int32Array((c + 1) * BLOCKED);
    this.blockedCount = new Uint8Array(c + 1);
    this.stateStack = new Array<unknown>(c);
  }
}

/**
 * Searches for a linearization of `part` under `model`. With a `probe` (from a first search that found the key
 * illegal), also collects what an explanation needs.
 */
export function search<S>(
  model: Model<S, unknown, unknown>,
  part: Partition,
  budget: SearchBudget,
  probe?: Probe<S>,
  workspace = new Workspace(),
  mode: SearchMode = {},
): SearchOutcome {
  const n = part.n;
  workspace.ensure(n);
  const inputs = part.inputs;
  const outputs = part.outputs;
  const finite = part.finite;
  const effects = part.effects;
  const ahead = mode.lookahead !== false && hasLookahead(model) ? model : undefined;
  const absorbing = hasAbsorbing(model) ? model : undefined;
  const maxSteps = budget.maxSteps ?? Infinity;
  // Nodes: 0 = head, 2i + 1 = op i's call, 2i + 2 = op i's return, 2n + 1 = tail.
  const tail = 2 * n + 1;
  const next = workspace.next;
  const prev = workspace.prev;
  let last = 0;
  let remaining = 0;
  for (const ev of part.events) {
    const node = ev + 1;
    next[last] = node;
    prev[node] = last;
    last = node;
  }
  for (let i = 0; i < n; i++) {
    if (finite[i] === 1) {
      remaining++;
      continue;
    }
    const node = 2 * i + 2;
    next[last] = node;
    prev[node] = last;
    last = node;
  }
  next[last] = tail;
  prev[tail] = last;

  const words = (n + 31) >>> 5;
  const bits = workspace.bits;
  bits.fill(0, 0, words);
  const zob = workspace.zob; // the same words for op i whatever the workspace's size
  const cache = workspace.cache as StateCache<S>;
  cache.reset(words, model.equal, model.stateBytes, budget.maxBytes, 2 * n);
  const opStack = workspace.opStack;
  const stateStack = workspace.stateStack as S[];
  const passStack = workspace.passStack; // the pass each linearized op was tried in
  const infoStack = workspace.infoStack; // the linearized ops of unknown outcome, in order
  let infoDepth = 0;
  // Per depth, up to BLOCKED finite candidates found illegal in pass 0 (what an optional op could unblock).
  const blocked = workspace.blocked;
  const blockedCount = workspace.blockedCount;
  blockedCount[0] = 0;
  const now = budget.now;
  const deadline = budget.deadline;

  let state = model.init();
  let h = 0;
  let depth = 0;
  let steps = 0;
  let best = -1;
  let blocker = -1;
  const watch = probe === undefined ? -1 : probe.blocker;
  let node = next[0];
  // Candidates are tried in up to three passes over the frontier: 0, the ops that returned (they must be
  // linearized); 1, the optional ops of unknown outcome after which some op blocked in pass 0 becomes legal; 2, the
  // other optional ops. Every candidate is tried in exactly one pass, so the search stays exhaustive; the order
  // finds a valid history's linearization early and lets `dominated` prune (trying "without" before "with").
  // Pass 2 is skipped for a `simple` partition (every op blind or state-preserving, see `Model.effect`): there,
  // an optional op is only ever worth linearizing right before an op it unblocks. Proof sketch: take a successful
  // continuation and (a) drop an optional op that is last, changes nothing, or is followed by a blind op legal
  // without it (its effect is overwritten); (b) move a state-preserving op that is legal without the optional op
  // before it. What remains has every optional op right before an op that was illegal without it and is legal
  // after it: pass 1 tries exactly those. Dropping or moving an optional op never changes which ops are
  // candidates, since its return is at +∞.
  let pass = 0;
  // Set on reaching a new configuration: look for a state-preserving op that is legal there first (see `GREEDY`).
  let fresh = true;

  while (remaining > 0) {
    if ((++steps & CLOCK_MASK) === 0) {
      const kind = now() > deadline ? "timeout" : steps >= maxSteps ? "steps" : undefined;
      if (kind !== undefined)
        return { kind, steps, depth: Math.max(best, depth - infoDepth), cached: cache.size };
    }
    if (fresh) {
      fresh = false;
      // A state-preserving op (a read) that returned and is legal now is linearized now, and nothing else is tried
      // from this configuration: if any continuation succeeds, one that starts with it does. Proof: in a successful
      // continuation, move the read to the front. It is legal there (it was legal here, and a preserving op is legal
      // only where the state equals what it saw, or more generally leaves every state it is legal in unchanged),
      // the states of the ops it jumps over do not change, and no op it jumps over had to precede it: its call is on
      // the frontier, so every op that returned before it was invoked is linearized already. On histories with many
      // clients this keeps the search from trying every order of the writes around a read the read already pins.
      // Likewise a blind op that returned and leaves an absorbing state as it is (see `absorbing.ts`).
      let g = next[0];
      let r: StepResult<S> = ILLEGAL;
      const absorbed = absorbing !== undefined && absorbing.absorbing(state);
      while ((g & 1) === 1) {
        const i = (g - 1) >>> 1;
        if (absorbed && finite[i] === 1 && effects[i] === BLIND) {
          // Illegal or changing the state: pass 0 tries it as usual.
          const rb = model.step(state, inputs[i], outputs[i]);
          if (rb.ok && model.equal(rb.state, state)) {
            r = rb;
            break;
          }
        } else if (finite[i] === 1 && effects[i] === PRESERVING) {
          r = model.step(state, inputs[i], outputs[i]);
          if (r.ok) break;
          // Illegal here: pass 0 skips it, so note it as pass 0 would have.
          if (i === watch) note(model, probe!, state, false);
          if (blockedCount[depth] <= BLOCKED) {
            if (blockedCount[depth] < BLOCKED) blocked[depth * BLOCKED + blockedCount[depth]] = i;
            blockedCount[depth]++;
          }
        }
        g = next[g];
      }
      if (r.ok) {
        const i = (g - 1) >>> 1;
        if (i === watch) note(model, probe!, state, true);
        const s2 = r.state;
        const w = i >>> 5;
        const bit = 1 << (i & 31);
        const key = h ^ zob[i] ^ mix32(model.hash(s2));
        bits[w] |= bit;
        const added =
          infoDepth > 0 && dominated(cache, bits, key, s2, zob, infoStack, infoDepth)
            ? PRESENT
            : cache.add(key, bits, s2);
        if (added === ADDED) {
          opStack[depth] = i;
          stateStack[depth] = state;
          passStack[depth] = GREEDY;
          depth++;
          state = s2;
          h ^= zob[i];
          lift(next, prev, g);
          remaining--;
          node = next[0];
          pass = 0;
          blockedCount[depth] = 0;
          fresh = true;
          continue;
        }
        bits[w] &= ~bit;
        if (added === OVER_BUDGET)
          return { kind: "memory", steps, depth: Math.max(best, depth - infoDepth), cached: cache.size };
        // Explored before and failed: so does this configuration. Go to its last pass's end (a return: `g` stopped
        // at the first return, since some op that returned is not linearized yet).
        while ((g & 1) === 1) g = next[g];
        node = g;
        pass = LAST;
        continue;
      }
    }
    if ((node & 1) === 1) {
      // A call: try to linearize op i now (if this pass is its pass).
      const i = (node - 1) >>> 1;
      const optional = finite[i] === 0;
      // A state-preserving op that returned was tried before pass 0 (`fresh`): pass 0 only runs where it was illegal.
      if (optional !== pass > 0 || (!optional && effects[i] === PRESERVING)) {
        node = next[node];
        continue;
      }
      const r = model.step(state, inputs[i], outputs[i]);
      if (i === watch) note(model, probe!, state, r.ok);
      if (!r.ok) {
        if (pass === 0 && blockedCount[depth] <= BLOCKED) {
          // Past BLOCKED, the count stays at BLOCKED + 1: "overflowed", every optional op counts as unblocking.
          if (blockedCount[depth] < BLOCKED) blocked[depth * BLOCKED + blockedCount[depth]] = i;
          blockedCount[depth]++;
        }
        node = next[node];
        continue;
      }
      const s2 = r.state;
      // An optional op that changes nothing is dominated by the current configuration (see `dominated`).
      if (
        optional &&
        (model.equal(s2, state) ||
          unblocks(model, s2, blocked, depth, blockedCount[depth], inputs, outputs) !== (pass === 1))
      ) {
        node = next[node];
        continue;
      }
      if (ahead !== undefined && effects[i] !== PRESERVING && deadAhead(ahead, s2, part, next, i) >= 0) {
        node = next[node];
        continue;
      }
      const w = i >>> 5;
      const bit = 1 << (i & 31);
      const key = h ^ zob[i] ^ mix32(model.hash(s2));
      bits[w] |= bit;
      if (optional) infoStack[infoDepth++] = i;
      const added =
        infoDepth > 0 && dominated(cache, bits, key, s2, zob, infoStack, infoDepth)
          ? PRESENT
          : cache.add(key, bits, s2);
      if (added === ADDED) {
        opStack[depth] = i;
        stateStack[depth] = state;
        passStack[depth] = pass;
        depth++;
        state = s2;
        h ^= zob[i];
        lift(next, prev, node);
        if (!optional) remaining--;
        node = next[0];
        pass = 0;
        blockedCount[depth] = 0;
        fresh = true;
        continue;
      }
      bits[w] &= ~bit;
      if (optional) infoDepth--;
      if (added === OVER_BUDGET)
        return { kind: "memory", steps, depth: Math.max(best, depth - infoDepth), cached: cache.size };
      node = next[node];
    } else if (pass === 0 || (pass === 1 && !part.simple)) {
      // End of the frontier (a return whose op is not linearized): next pass.
      pass++;
      node = next[0];
    } else {
      // Nothing more to try here: this branch is dead, undo the last linearized op.
      // The deepest point counts the ops that returned (ops of unknown outcome are linearized only where they
      // matter, so counting them would favour dead ends that happened to try more of them): at a stale read in an
      // otherwise valid history, the deepest point is always just before that read.
      if (depth - infoDepth > best) {
        best = depth - infoDepth;
        blocker = (node - 2) >>> 1;
        if (probe !== undefined && best === probe.depth && probe.peak === undefined) {
          probe.peak = snapshot(opStack, stateStack, depth, state, blocker);
        }
      }
      if (depth === 0) return { kind: "illegal", steps, depth: best, cached: cache.size, blocker };
      depth--;
      const i = opStack[depth];
      state = stateStack[depth];
      pass = passStack[depth];
      bits[i >>> 5] &= ~(1 << (i & 31));
      h ^= zob[i];
      const cn = 2 * i + 1;
      const rn = cn + 1;
      next[prev[rn]] = rn;
      prev[next[rn]] = rn;
      next[prev[cn]] = cn;
      prev[next[cn]] = cn;
      if (finite[i] === 0) infoDepth--;
      else remaining++;
      if (pass === GREEDY) {
        // Nothing else was to be tried where a read was linearized greedily: that configuration failed too.
        pass = LAST;
        node = rn;
      } else node = next[cn];
    }
  }
  return { kind: "ok", steps, depth, cached: cache.size };
}

/**
 * True when configuration (bits, s) is dominated by one already explored. An op of unknown outcome is optional:
 * whatever (bits, s) can still do, (bits − u, s) can do too for a linearized unknown-outcome op u (just never
 * linearize u; its return is at +∞, so it blocks nothing). (bits − u, s) has as many ops as the configuration we
 * are leaving and is not it (u ≠ the op just added, or s differs — the caller skips optional ops that change
 * nothing), so if the cache holds it, it is not on the stack: it was fully explored and failed, and so would
 * (bits, s). Checked for every linearized unknown-outcome op (they are few: timeouts), restoring `bits`.
 */
function dominated<S>(
  cache: StateCache<S>,
  bits: Int32Array,
  key: number,
  s: S,
  zob: Int32Array,
  infoStack: Int32Array,
  infoDepth: number,
): boolean {
  for (let k = 0; k < infoDepth; k++) {
    const u = infoStack[k];
    const w = u >>> 5;
    const bit = 1 << (u & 31);
    bits[w] &= ~bit;
    const hit = cache.has(key ^ zob[u], bits, s);
    bits[w] |= bit;
    if (hit) return true;
  }
  return false;
}

function snapshot<S>(
  opStack: Int32Array,
  stateStack: S[],
  depth: number,
  state: S,
  blocker: number,
): Peak<S> {
  const states = new Array<S>(depth);
  for (let k = 0; k + 1 < depth; k++) states[k] = stateStack[k + 1];
  if (depth > 0) states[depth - 1] = state;
  return { ops: opStack.slice(0, depth), states, blocker };
}

function note<S>(model: Model<S, unknown, unknown>, watched: Probe<S>, state: S, ok: boolean): void {
  if (ok) {
    watched.legalSomewhere = true;
    return;
  }
  for (const s of watched.illegalFrom) if (model.equal(s, state)) return;
  if (watched.illegalFrom.length < WATCH_LIMIT) watched.illegalFrom.push(state);
  else watched.truncated = true;
}
