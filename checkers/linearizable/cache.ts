/**
 * The search's memo of configurations already explored: (set of linearized ops, model state) pairs, as in
 * Lowe's "Testing for linearizability" (2017). An open-addressing hash table over typed arrays: the key is the
 * bitset's Zobrist hash mixed with the state's hash; a hit is confirmed by comparing the bitset words and the
 * states, so a hash collision never merges two different configurations.
 *
 * One cache serves every key of a check: {@link StateCache.reset} empties it in O(1) (slots carry a generation
 * stamp), so a thousand keys do not allocate a thousand tables.
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
  private table: Int32Array = new Int32Array(0); // slot → entry
  private stamp: Int32Array = new Int32Array(0); // slot → generation that filled it; other values mean empty
  private generation = 1;
  private mask = 0;
  private keys: Int32Array = new Int32Array(0); // entry → its hash key
  private bits: Int32Array = new Int32Array(0); // entry e's bitset at [e * words, (e + 1) * words)
  private capacity = 0; // entries that fit in keys and bits at the current word count
  private readonly states: S[] = [];
  private words = 1;
  private equal: (a: S, b: S) => boolean = Object.is;
  private sizeOf: ((s: S) => number) | undefined;
  private maxBytes = Infinity;
  /** Bytes held by the cache: its typed arrays, plus an estimate of the states. */
  bytes = 0;
  /** Number of configurations stored. */
  size = 0;

  /**
   * Empties the cache for a new search.
   *
   * @param words bitset length in 32-bit words
   * @param expected configurations to make room for at once (a search usually needs about one per op)
   */
  reset(
    words: number,
    equal: (a: S, b: S) => boolean,
    sizeOf: ((s: S) => number) | undefined,
    maxBytes: number,
    expected: number,
  ): void {
    this.words = words;
    this.equal = equal;
    this.sizeOf = sizeOf;
    this.maxBytes = maxBytes;
    this.size = 0;
    this.states.length = 0;
    let want = 64;
    while (want < expected && want * (words + 3) * 4 < maxBytes / 4) want *= 2;
    // Keep the arrays of the previous key when they fit this one; not when they are far bigger (a small key after
    // a big one must not start near the budget, nor probe a huge table).
    const fits = (have: number, need: number): boolean => have >= need && have <= 4 * need;
    if (!fits(this.keys.length, want) || !fits(this.bits.length, want * words)) {
      this.keys = new Int32Array(want);
      this.bits = new Int32Array(want * words);
    }
    this.capacity = Math.min(this.keys.length, Math.floor(this.bits.length / words));
    if (!fits(this.table.length, 2 * want)) {
      this.table = new Int32Array(2 * want);
      this.stamp = new Int32Array(2 * want);
      this.generation = 1;
    } else if (++this.generation === 0x7fffffff) {
      this.stamp.fill(0);
      this.generation = 1;
    }
    this.mask = this.table.length - 1;
    this.bytes = this.table.byteLength + this.stamp.byteLength + this.keys.byteLength + this.bits.byteLength;
  }

  /** True when the configuration is stored. */
  has(key: number, bitset: Int32Array, state: S): boolean {
    return this.find(key, bitset, state) < 0;
  }

  /** Adds the configuration unless it is already present. `bitset` is read, never kept. */
  add(key: number, bitset: Int32Array, state: S): Added {
    let slot = this.find(key, bitset, state);
    if (slot < 0) return PRESENT;
    const e = this.size;
    if (e === this.capacity && !this.growEntries()) return OVER_BUDGET;
    this.bytes += 8 + (this.sizeOf === undefined ? 16 : this.sizeOf(state));
    if (this.bytes > this.maxBytes) return OVER_BUDGET;
    if ((e + 1) * 2 > this.table.length) {
      if (!this.growTable()) return OVER_BUDGET;
      slot = this.find(key, bitset, state);
    }
    this.keys[e] = key;
    const words = this.words;
    const bits = this.bits;
    for (let w = 0, base = e * words; w < words; w++) bits[base + w] = bitset[w];
    this.states.push(state);
    this.size = e + 1;
    this.table[slot] = e;
    this.stamp[slot] = this.generation;
    return ADDED;
  }

  /** The empty slot where the configuration would go, or -1 when it is stored. */
  private find(key: number, bitset: Int32Array, state: S): number {
    const words = this.words;
    const table = this.table;
    const stamp = this.stamp;
    const generation = this.generation;
    const keys = this.keys;
    const bits = this.bits;
    const mask = this.mask;
    let slot = key & mask;
    for (;;) {
      if (stamp[slot] !== generation) return slot;
      const e = table[slot];
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
    const cap = Math.max(64, this.capacity * 2);
    const words = this.words;
    if (!this.fits(cap * 4 + cap * words * 4 - this.keys.byteLength - this.bits.byteLength)) return false;
    try {
      const keys = new Int32Array(cap);
      keys.set(this.keys.subarray(0, this.size));
      const bits = new Int32Array(cap * words);
      bits.set(this.bits.subarray(0, this.size * words));
      this.bytes += keys.byteLength - this.keys.byteLength + bits.byteLength - this.bits.byteLength;
      this.keys = keys;
      this.bits = bits;
      this.capacity = cap;
      return true;
    } catch {
      return false; // the allocation itself failed: out of memory is out of budget
    }
  }

  private growTable(): boolean {
    const cap = this.table.length * 2;
    if (!this.fits(this.table.byteLength + this.stamp.byteLength)) return false;
    let table: Int32Array;
    let stamp: Int32Array;
    try {
      table = new Int32Array(cap);
      stamp = new Int32Array(cap);
    } catch {
      return false;
    }
    const mask = cap - 1;
    for (let e = 0; e < this.size; e++) {
      let slot = this.keys[e] & mask;
      while (stamp[slot] === 1) slot = (slot + 1) & mask;
      table[slot] = e;
      stamp[slot] = 1;
    }
    this.bytes += table.byteLength - this.table.byteLength + stamp.byteLength - this.stamp.byteLength;
    this.table = table;
    this.stamp = stamp;
    this.generation = 1;
    this.mask = mask;
    return true;
  }
}
