/**
 * Which consistency models each anomaly rules out, after Adya's thesis ("Weak Consistency", 1999) and Elle's
 * consistency-model map (Kingsbury & Alvaro, VLDB 2020), restricted to the six models faultline names:
 *
 * | anomaly | why | rules out |
 * |---|---|---|
 * | G0, duplicate-elements, unexpected-element | write cycle (Adya PL-1); a list holding one element twice or an element nobody appended is not a version any transaction wrote | read-uncommitted and everything stronger |
 * | G1a, G1b, G1c | Adya G1 (PL-2) | read-committed and stronger |
 * | incompatible-order, dirty-update | two reads from different timelines, or a write building on an aborted one, imply an aborted (dirty) read (Elle) | read-committed and stronger |
 * | future-read | a transaction sees its own later append: a trivial wr cycle, G1c (Elle) | read-committed and stronger |
 * | lost-update | two committed transactions read the same version and both appended: forbidden by cursor stability (Adya, Bailis), hence by repeatable read and snapshot isolation | repeatable-read, snapshot-isolation, serializable, strict-serializable |
 * | G-single, G-nonadjacent | a cycle whose anti-dependencies are never adjacent: forbidden by (generalised) snapshot isolation; over single keys it is also G2-item | repeatable-read, snapshot-isolation, serializable, strict-serializable |
 * | G2-item | a cycle with two or more item anti-dependencies, some adjacent (write skew): Adya PL-2.99 | repeatable-read, serializable, strict-serializable |
 * | internal | a read that disagrees with the transaction's own earlier reads and appends (Cerone et al.'s INT axiom; Elle maps it to snapshot isolation and serializability) | snapshot-isolation, serializable, strict-serializable |
 * | any `-process` or `-realtime` cycle | needs session or real-time order: only strict serializability (of the six) promises it; process order is contained in real-time order | strict-serializable |
 */
import type { ConsistencyModel, ListAppendAnomalyKind } from "./types.js";

/** The six models, weakest first. */
export const CONSISTENCY_MODELS: readonly ConsistencyModel[] = [
  "read-uncommitted",
  "read-committed",
  "repeatable-read",
  "snapshot-isolation",
  "serializable",
  "strict-serializable",
];

const ALL = CONSISTENCY_MODELS;
const RC_UP: readonly ConsistencyModel[] = ALL.slice(1);
const RR_SI_UP: readonly ConsistencyModel[] = [
  "repeatable-read",
  "snapshot-isolation",
  "serializable",
  "strict-serializable",
];
const RR_UP: readonly ConsistencyModel[] = ["repeatable-read", "serializable", "strict-serializable"];
const SI_UP: readonly ConsistencyModel[] = ["snapshot-isolation", "serializable", "strict-serializable"];
const SS: readonly ConsistencyModel[] = ["strict-serializable"];

/** Every anomaly kind, most severe first (the order results list them in). */
export const ANOMALY_KINDS: readonly ListAppendAnomalyKind[] = [
  "duplicate-elements",
  "unexpected-element",
  "G0",
  "incompatible-order",
  "G1a",
  "dirty-update",
  "G1b",
  "future-read",
  "G1c",
  "internal",
  "lost-update",
  "G-single",
  "G-nonadjacent",
  "G2-item",
  "G0-process",
  "G1c-process",
  "G-single-process",
  "G-nonadjacent-process",
  "G2-item-process",
  "G0-realtime",
  "G1c-realtime",
  "G-single-realtime",
  "G-nonadjacent-realtime",
  "G2-item-realtime",
];

/** The models (of the six) that an anomaly of this kind rules out, weakest first. */
export function modelsRuledOutBy(kind: ListAppendAnomalyKind): readonly ConsistencyModel[] {
  if (kind.endsWith("-process") || kind.endsWith("-realtime")) return SS;
  switch (kind) {
    case "G0":
    case "duplicate-elements":
    case "unexpected-element":
      return ALL;
    case "G1a":
    case "G1b":
    case "G1c":
    case "incompatible-order":
    case "dirty-update":
    case "future-read":
      return RC_UP;
    case "lost-update":
    case "G-single":
    case "G-nonadjacent":
      return RR_SI_UP;
    case "G2-item":
      return RR_UP;
    case "internal":
      return SI_UP;
    default:
      return SS;
  }
}

/** The anomaly kinds a model prohibits: those that rule it out. */
export function kindsProhibitedBy(model: ConsistencyModel): ListAppendAnomalyKind[] {
  return ANOMALY_KINDS.filter((k) => modelsRuledOutBy(k).includes(model));
}

/** The union of the models ruled out by some kinds, weakest first. */
export function modelsRuledOutByAll(kinds: Iterable<ListAppendAnomalyKind>): ConsistencyModel[] {
  const out = new Set<ConsistencyModel>();
  for (const k of kinds) for (const m of modelsRuledOutBy(k)) out.add(m);
  return CONSISTENCY_MODELS.filter((m) => out.has(m));
}
