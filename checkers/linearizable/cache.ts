/**
 * The search's memo of configurations already explored: (set of linearized ops, model state) pairs, as in
 * Lowe's "Testing for linearizability" (2017). An open-addressing hash table over typed arrays: the key is the
 * bitset's Zobrist hash mixed with the state's hash; a hit is confirmed by comparing the bitset words and the
 * states, so a hash collision never merges two different configurations.
 */

/** {@link StateCache.add}: the configuration was new and is now stored. */
export const ADDED = 1;
/** {@link StateCache.add}: the configuration was already stored. */
export const PRESENT = 0;
/** {@link StateCache.add}: storing it would exceed the memory budget. */
export const OVER_BUDGET = -1;

/** What {@link StateCache.add} returns. */
export type Added = typeof ADDED | typeof PRESENT | typeof OVER_BUDGET;

/** A set of (bitset, state) pairs with a byte budget. */
export class StateCache<S> {
  private table: Int32Array; // slot → entry + 1, 0 = empty
  private mask: number;
  private keys: Int32Array; // entry → its hash key
  private bits: Int32Array; // entry e's bitset at [e * words, (e + 1) * words)
  private readonly states: S[] = [];
  /** Bytes held by the cache: its typed arrays, plus an estimate of the states. */
  bytes = 0;
  /** Number of configurations stored. */
  size = 0;

  /**
   * @param words bitset length in 32-bit words
   * @param expected configurations to make room for at once (a search usually needs about one per op)
   */
  constructor(
    private readonly words: number,
    private readonly equal: (a: S, b: S) => boolean,
    private readonly sizeOf: ((s: S) => number) | undefined,
    private readonly maxBytes: number,
    expected = 256,
  ) {
    let capacity = 64;
    while (capacity < expected && capacity * words * 4 < maxBytes / 4) capacity *= 2;
    this.table = new Int32Array(capacity * 2);
    this.mask = capacity * 2 - 1;
    this.keys = new Int32Array(capacity);
    this.bits = new Int32Array(capacity * words);
    this.bytes = this.table.byteLength + this.keys.byteLength + this.bits.byteLength;
  }

  /** True when the configuration is stored. */
  has(key: number, bitset: Int32Array, state: S): boolean {
    return this.find(key, bitset, state) < 0;
  }

  /** Adds the configuration unless it is already present. `bitset` is read, never kept. */
  add(key: number, bitset: Int32Array, state: S): Added {
    const slot = this.find(key, bitset, state);
    if (slot < 0) return PRESENT;
    const e = this.size;
    if (e === this.keys.length && !this.growEntries()) return OVER_BUDGET;
    this.bytes += 8 + (this.sizeOf === undefined ? 16 : this.sizeOf(state));
    if (this.bytes > this.maxBytes) return OVER_BUDGET;
    this.keys[e] = key;
    const words = this.words;
    const bits = this.bits;
    for (let w = 0, base = e * words; w < words; w++) bits[base + w] = bitset[w];
    this.states.push(state);
    this.size = e + 1;
    this.table[slot] = e + 1;
    if (this.size * 2 > this.table.length && !this.growTable()) return OVER_BUDGET;
    return ADDED;
  }

  /** The empty slot where the configuration would go, or -1 when it is stored. */
  private find(key: number, bitset: Int32Array, state: S): number {
    const words = this.words;
    const table = this.table;
    const keys = this.keys;
    const bits = this.bits;
    const mask = this.mask;
    let slot = key & mask;
    for (;;) {
      const e = table[slot] - 1;
      if (e < 0) return slot;
      if (keys[e] === key) {
        let same = true;
        const base = e * words;
        for (let w = 0; w < words; w++) {
          if (bits[base + w] !== bitset[w]) {
            same = false;
            break;
          }
        }
        if (same && this.equal(this.states[e], state)) return -1;
      }
      slot = (slot + 1) & mask;
    }
  }

  private fits(extra: number): boolean {
    return this.bytes + extra <= this.maxBytes;
  }

  private growEntries(): boolean {
    const cap = this.keys.length * 2;
    if (!this.fits(this.keys.byteLength + this.bits.byteLength)) return false;
    try {
      const keys = new Int32Array(cap);
      keys.set(this.keys);
      const bits = new Int32Array(cap * this.words);
      bits.set(this.bits);
      this.bytes += keys.byteLength - this.keys.byteLength + bits.byteLength - this.bits.byteLength;
      this.keys = keys;
      this.bits = bits;
      return true;
    } catch {
      return false; // the allocation itself failed: out of memory is out of budget
    }
  }

  private growTable(): boolean {
    const cap = this.table.length * 2;
    if (!this.fits(this.table.byteLength)) return false;
    let table: Int32Array;
    try {
      table = new Int32Array(cap);
    } catch {
      return false;
    }
    const mask = cap - 1;
    for (let e = 0; e < this.size; e++) {
      let slot = this.keys[e] & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = e + 1;
    }
    this.bytes += table.byteLength - this.table.byteLength;
    this.table = table;
    this.mask = mask;
    return true;
  }
}
