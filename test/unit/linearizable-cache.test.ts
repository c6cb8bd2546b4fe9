import { describe, expect, it } from "vitest";
import { ADDED, OVER_BUDGET, PRESENT, StateCache } from "../../checkers/linearizable/cache.js";

const bits = (...words: number[]) => Int32Array.from(words);

describe("StateCache", () => {
  it("should store each (bitset, state) pair once, even when their hash keys collide", () => {
    const cache = new StateCache<number>();
    cache.reset(2, (a, b) => a === b, undefined, 1 << 20, 4);
    expect(cache.add(7, bits(1, 0), 5)).toBe(ADDED);
    expect(cache.add(7, bits(1, 0), 5)).toBe(PRESENT);
    expect(cache.add(7, bits(1, 0), 6)).toBe(ADDED); // same key and bitset, other state
    expect(cache.add(7, bits(0, 1), 5)).toBe(ADDED); // same key and state, other bitset
    expect(cache.has(7, bits(0, 1), 5)).toBe(true);
    expect(cache.has(7, bits(0, 2), 5)).toBe(false);
    expect(cache.size).toBe(3);
  });

  it("should keep every pair through growth and forget them all on reset", () => {
    const cache = new StateCache<number>();
    cache.reset(1, (a, b) => a === b, undefined, 1 << 24, 1);
    for (let i = 0; i < 5000; i++) expect(cache.add(i & 15, bits(i), i % 7)).toBe(ADDED);
    for (let i = 0; i < 5000; i++) expect(cache.has(i & 15, bits(i), i % 7)).toBe(true);
    cache.reset(1, (a, b) => a === b, undefined, 1 << 24, 1);
    expect(cache.size).toBe(0);
    for (let i = 0; i < 5000; i++) expect(cache.has(i & 15, bits(i), i % 7)).toBe(false);
    expect(cache.add(3, bits(3), 3)).toBe(ADDED);
  });

  it("should refuse to grow past its byte budget, and start small again after a big key", () => {
    const cache = new StateCache<number>();
    cache.reset(
      4,
      (a, b) => a === b,
      () => 8,
      64 * 1024,
      16,
    );
    let result: number = ADDED;
    let i = 0;
    while (result === ADDED) result = cache.add(i, bits(i, 0, 0, 0), i++);
    expect(result).toBe(OVER_BUDGET);
    expect(cache.bytes).toBeLessThanOrEqual(64 * 1024);
    expect(cache.bytes).toBeGreaterThan(32 * 1024);
    cache.reset(
      1,
      (a, b) => a === b,
      () => 8,
      1 << 30,
      4,
    );
    expect(cache.bytes).toBeLessThan(4096);
  });
});
