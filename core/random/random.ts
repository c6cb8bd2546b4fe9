/**
 * A small seeded pseudo-random generator. One seed per run drives the workload and the nemesis (STYLE.md §11);
 * each consumer takes its own {@link Random.fork | fork} by name, so adding a consumer never shifts another's
 * stream.
 */

/** A seeded source of randomness. Deterministic: the same seed gives the same sequence. */
export interface Random {
  /** The seed this generator started from. */
  readonly seed: number;
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, maxExclusive). */
  int(maxExclusive: number): number;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** A shuffled copy of `items` (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[];
  /** An independent generator derived from this seed and `label` (not from the current position). */
  fork(label: string): Random;
}

/**
 * Creates a generator from a 32-bit seed. The core is a Weyl sequence fed through the 32-bit murmur3 finaliser:
 * fast, stateless apart from one counter, and good enough for scheduling and workload choices (not for crypto).
 *
 * @example
 * const rng = createRandom(42);
 * const delay = rng.int(100); // same value on every run with seed 42
 * const nemesisRng = rng.fork("nemesis");
 */
export function createRandom(seed: number): Random {
  const base = seed >>> 0;
  let state = base;
  const next32 = (): number => {
    state = (state + 0x9e3779b9) >>> 0;
    return mix32(state);
  };
  const next = (): number => next32() / 0x1_0000_0000;
  const int = (maxExclusive: number): number => {
    if (!Number.isInteger(maxExclusive) || maxExclusive <= 0) {
      throw new RangeError(`int(max) needs a positive integer, got ${maxExclusive}`);
    }
    return Math.floor(next() * maxExclusive);
  };
  return {
    seed: base,
    next,
    int,
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new RangeError("pick() needs a non-empty array");
      return items[int(items.length)] as T;
    },
    shuffle<T>(items: readonly T[]): T[] {
      const out = items.slice();
      for (let i = out.length - 1; i > 0; i--) {
        const j = int(i + 1);
        [out[i], out[j]] = [out[j] as T, out[i] as T];
      }
      return out;
    },
    fork(label: string): Random {
      return createRandom(mix32((base ^ hashString(label)) >>> 0));
    },
  };
}

/** A fresh random 32-bit seed for runs that were not given one (the seed is then written to config.json). */
export function freshSeed(): number {
  return Math.floor(Math.random() * 0x1_0000_0000) >>> 0 || 1;
}

function mix32(x: number): number {
  let z = x >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** FNV-1a over UTF-16 code units: a stable label hash for {@link Random.fork}. */
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
