import type { Budget } from "../core/budget.js";
import { elementKey } from "../core/elements.js";
import type { ElementTable } from "../core/element-table.js";

/** Index standing for "never" in the Int32 state arrays. */
export const NEVER = 0x7fffffff;

/** The successful reads, in invoke order (rank 0, 1, 2, …). */
export interface ReadColumn {
  values: unknown[][];
  inv: Int32Array;
  comp: Int32Array;
}

/** Per-element state after the scan, by element id (see {@link scanReads}). */
export interface ScanState {
  /** Rank of the last read that saw the element, or -1. */
  lastRank: Int32Array;
  /** Rank of the last read before `lastRank` that did not see it (the end of the latest gap), or -1. */
  lastMiss: Int32Array;
  /** Rank of the read with the earliest completion that saw it, or -1; and that completion's index. */
  firstSeen: Int32Array;
  minComp: Int32Array;
  /** Rank of the first read invoked after the add's ok that saw it, or -1. */
  visRank: Int32Array;
  /** Reads that returned an element more than once: the element, the read's rank, how many copies. */
  duplicates: { element: unknown; rank: number; copies: number }[];
  /** Elements read before any add of them was invoked: id → rank of the first such read. */
  early: Map<number, number>;
  /** Elements never added: key → the element and the rank of the first read that returned it. */
  strangers: Map<string, { element: unknown; rank: number }>;
}

/**
 * One pass over every element of every read, in invoke order, keeping O(1) state per element — the hot loop of
 * set-full (100,000 elements × 1,000 reads is 10⁸ occurrences). Per occurrence of element e in read j:
 * duplicate check (`lastRank[e] === j`), gap bookkeeping (`lastMiss`), earliest completion, first read after the
 * ack, and whether the read completed before any add of e was invoked.
 */
export function scanReads(
  table: ElementTable,
  reads: ReadColumn,
  addInv: Int32Array,
  addOk: Int32Array,
  budget: Budget,
): ScanState {
  const n = table.size;
  const lastRank = new Int32Array(n).fill(-1);
  const lastMiss = new Int32Array(n).fill(-1);
  const firstSeen = new Int32Array(n).fill(-1);
  const minComp = new Int32Array(n).fill(NEVER);
  const visRank = new Int32Array(n).fill(-1);
  const dense = table.dense;
  const denseLen = dense.length;
  const state: ScanState = {
    lastRank,
    lastMiss,
    firstSeen,
    minComp,
    visRank,
    duplicates: [],
    early: new Map(),
    strangers: new Map(),
  };
  const m = reads.values.length;
  for (let j = 0; j < m; j++) {
    const values = reads.values[j];
    const inv = reads.inv[j];
    const comp = reads.comp[j];
    let dups: Map<string, { element: unknown; copies: number }> | undefined;
    let strangersHere: Set<string> | undefined;
    for (let i = 0; i < values.length; i++) {
      const x = values[i];
      let id: number;
      if (typeof x === "number" && x >= 0 && x < denseLen && (x | 0) === x) id = dense[x];
      else id = table.lookupSlow(x);
      if (id < 0) {
        // Never added: rare, so a map keyed by value is fine.
        const k = elementKey(x);
        if (strangersHere?.has(k)) {
          dups ??= new Map();
          const d = dups.get(k);
          if (d) d.copies++;
          else dups.set(k, { element: x, copies: 2 });
          continue;
        }
        (strangersHere ??= new Set()).add(k);
        if (!state.strangers.has(k)) state.strangers.set(k, { element: x, rank: j });
        continue;
      }
      const prev = lastRank[id];
      if (prev === j) {
        dups ??= new Map();
        const k = `#${id}`;
        const d = dups.get(k);
        if (d) d.copies++;
        else dups.set(k, { element: x, copies: 2 });
        continue;
      }
      if (prev !== j - 1) lastMiss[id] = j - 1;
      lastRank[id] = j;
      if (comp < minComp[id]) {
        minComp[id] = comp;
        firstSeen[id] = j;
      }
      if (visRank[id] < 0 && inv > addOk[id]) visRank[id] = j;
    }
    if (dups)
      for (const d of dups.values()) state.duplicates.push({ element: d.element, rank: j, copies: d.copies });
    budget.tick("scanning reads", values.length + 1);
  }
  // Read before any add of it was invoked: the earliest-completing read that saw it completed before the first add.
  for (let id = 0; id < n; id++) if (minComp[id] < addInv[id]) state.early.set(id, firstSeen[id]);
  return state;
}
