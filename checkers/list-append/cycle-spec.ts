/**
 * Cycle kinds as constraints on the edges of a cycle (Adya's definitions, Elle's classification):
 *
 * | kind | edges allowed | must hold |
 * |---|---|---|
 * | G0 | ww | — |
 * | G1c | ww, wr | at least one wr |
 * | G-single | ww, wr, rw | exactly one rw |
 * | G-nonadjacent | ww, wr, rw | two or more rw, no two consecutive (cyclically) |
 * | G2-item | ww, wr, rw | two or more rw, some two consecutive |
 *
 * The `-process` variant also allows process edges and needs at least one; `-realtime` likewise with real-time edges.
 * A search walks the graph with a small state (how many rw so far, whether a wr / extra edge was seen, whether the
 * last edge was rw, whether two rw were adjacent), so one breadth-first search finds the shortest walk of a kind.
 */
import { DATA, PROCESS, REALTIME, RW, WR, WW } from "./graph.js";
import type { BaseCycleKind, CycleKind } from "./types.js";

/** What a search for one cycle kind looks for. */
export interface CycleSpec {
  kind: CycleKind;
  base: BaseCycleKind;
  /** Edge kinds the cycle may use. */
  allowed: number;
  /** The kind of edge every such cycle contains, used to anchor the search. */
  anchor: number;
  /** PROCESS or REALTIME for a variant, 0 for a base kind. */
  extra: number;
}

/** Number of distinct search states (see {@link step}). */
export const STATES = 64;

const BASE_ALLOWED: Record<BaseCycleKind, number> = {
  G0: WW,
  G1c: WW | WR,
  "G-single": DATA,
  "G-nonadjacent": DATA,
  "G2-item": DATA,
};

const BASE_ANCHOR: Record<BaseCycleKind, number> = {
  G0: WW,
  G1c: WR,
  "G-single": RW,
  "G-nonadjacent": RW,
  "G2-item": RW,
};

/** The base kinds, most severe first. */
export const BASE_KINDS: readonly BaseCycleKind[] = ["G0", "G1c", "G-single", "G-nonadjacent", "G2-item"];

/** The search spec of a base kind or one of its variants. */
export function cycleSpec(base: BaseCycleKind, extra: 0 | typeof PROCESS | typeof REALTIME): CycleSpec {
  const suffix = extra === PROCESS ? "-process" : extra === REALTIME ? "-realtime" : "";
  return {
    kind: `${base}${suffix}` as CycleKind,
    base,
    allowed: BASE_ALLOWED[base] | extra,
    anchor: BASE_ANCHOR[base],
    extra,
  };
}

// State bits: rw count (0, 1, 2 = two or more) in bits 0–1; wr seen: 4; extra edge seen: 8; last edge rw: 16;
// two adjacent rw seen: 32.
const WR_SEEN = 4;
const EXTRA_SEEN = 8;
const LAST_RW = 16;
const ADJ_RW = 32;

/** The state after taking an edge of kind `bit` in state `s`, or -1 if the spec forbids it. */
export function step(spec: CycleSpec, s: number, bit: number): number {
  if (bit === RW) {
    let rw = s & 3;
    if (spec.base === "G-single" && rw >= 1) return -1;
    if (spec.base === "G-nonadjacent" && s & LAST_RW) return -1;
    let out = s & ~3;
    if (s & LAST_RW) out |= ADJ_RW;
    rw = rw < 2 ? rw + 1 : 2;
    return out | rw | LAST_RW;
  }
  let out = s & ~LAST_RW;
  if (bit === WR) out |= WR_SEEN;
  else if (bit === PROCESS || bit === REALTIME) out |= EXTRA_SEEN;
  return out;
}

/**
 * Whether a walk that started with the anchor edge and ended in state `s` (its last edge leading back into the
 * anchor's source) is a cycle of the spec's kind.
 */
export function accepts(spec: CycleSpec, s: number): boolean {
  if (spec.extra !== 0 && (s & EXTRA_SEEN) === 0) return false;
  const rw = s & 3;
  switch (spec.base) {
    case "G0":
      return true;
    case "G1c":
      return (s & WR_SEEN) !== 0;
    case "G-single":
      return rw === 1;
    case "G-nonadjacent":
      // The anchor is rw, so the closing edge (into the anchor) must not be.
      return rw === 2 && (s & LAST_RW) === 0;
    case "G2-item":
      return rw === 2 && ((s & ADJ_RW) !== 0 || (s & LAST_RW) !== 0);
  }
}

/** Elle's classification of a cycle by its edge kinds (in cycle order). */
export function classify(kinds: readonly number[]): CycleKind {
  let rw = 0;
  let wr = 0;
  let adjacent = false;
  let process = false;
  let realtime = false;
  for (let i = 0; i < kinds.length; i++) {
    const k = kinds[i];
    if (k === RW) {
      rw++;
      if (kinds[(i + kinds.length - 1) % kinds.length] === RW) adjacent = true;
    } else if (k === WR) wr++;
    else if (k === PROCESS) process = true;
    else if (k === REALTIME) realtime = true;
  }
  const base: BaseCycleKind =
    rw === 1 ? "G-single" : rw > 1 ? (adjacent ? "G2-item" : "G-nonadjacent") : wr > 0 ? "G1c" : "G0";
  return `${base}${realtime ? "-realtime" : process ? "-process" : ""}` as CycleKind;
}
