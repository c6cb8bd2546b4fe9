import { canonicalJson } from "./elements.js";

/** Above this many slots per element, small integers are not worth a direct table. */
const DENSE_SLOTS_PER_ELEMENT = 8;

/**
 * Numbers elements 0, 1, 2, … so per-element state can live in typed arrays. Non-negative integer elements — what
 * workloads add — are looked up in a direct `Int32Array` table (one array read per occurrence, which is what makes
 * 100 million read occurrences affordable); strings, other numbers and JSON values go through maps keyed by value
 * (canonical JSON for objects and arrays).
 */
export class ElementTable {
  /** Element of each id. */
  readonly values: unknown[] = [];
  /** Direct table: `dense[x]` is the id of integer element x, or -1. */
  readonly dense: Int32Array;
  private readonly numbers = new Map<number, number>();
  private readonly strings = new Map<string, number>();
  private readonly others = new Map<string, number>();

  /** `elements` are all the values that will be interned (duplicates allowed); they size the direct table. */
  constructor(elements: readonly unknown[]) {
    let max = -1;
    for (const v of elements) if (isSmallInt(v) && v > max) max = v;
    const size = max + 1 <= DENSE_SLOTS_PER_ELEMENT * elements.length + 1024 ? max + 1 : 0;
    this.dense = new Int32Array(size).fill(-1);
  }

  /** The id of `v`, creating one if it is new. */
  intern(v: unknown): number {
    const known = this.lookup(v);
    if (known >= 0) return known;
    const id = this.values.length;
    this.values.push(v);
    if (isSmallInt(v) && v < this.dense.length) this.dense[v] = id;
    else if (typeof v === "number") this.numbers.set(v, id);
    else if (typeof v === "string") this.strings.set(v, id);
    else this.others.set(canonicalJson(v), id);
    return id;
  }

  /** The id of `v`, or -1 if it was never interned. */
  lookup(v: unknown): number {
    if (isSmallInt(v) && v < this.dense.length) return this.dense[v];
    return this.lookupSlow(v);
  }

  /** {@link lookup} for values outside the direct table. */
  lookupSlow(v: unknown): number {
    if (typeof v === "number") return this.numbers.get(v) ?? -1;
    if (typeof v === "string") return this.strings.get(v) ?? -1;
    return this.others.get(canonicalJson(v)) ?? -1;
  }

  get size(): number {
    return this.values.length;
  }
}

function isSmallInt(v: unknown): v is number {
  return typeof v === "number" && v >= 0 && v <= 0x7ffffffe && Number.isInteger(v);
}
