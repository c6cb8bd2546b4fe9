import { describe, expect, it } from "vitest";
import type { Op } from "../../checkers/history/index.js";
import { checkLinearizable } from "../../checkers/linearizable/index.js";
import { h } from "./linearizable-support.js";
import type { Line } from "./linearizable-support.js";

/**
 * A hard history: `n` concurrent writes of distinct values and, alongside them, a read of a value nobody wrote. The
 * read is illegal in every state, so the search must try every subset and order of the writes (about n·2ⁿ⁻¹
 * configurations) before it can say so.
 */
function hard(n: number, key?: string): Line[] {
  const lines: Line[] = [];
  for (let p = 0; p < n; p++) lines.push([p, "invoke", "write", p + 1, key]);
  lines.push([n, "invoke", "read", null, key], [n, "ok", "read", 999, key]);
  for (let p = 0; p < n; p++) lines.push([p, "ok", "write", p + 1, key]);
  return lines;
}

describe("checkLinearizable", () => {
  it("should stop at the first clock reading past the deadline and say how far it got", () => {
    let reads = 0;
    const now = (): number => reads++; // 0 at the start, then one "ms" per reading
    const r = checkLinearizable(h(...hard(30)), { model: "register", timeLimitMs: 5, now });
    // The start, then readings 1…6: the one that sees 6 > 0 + 5 ends the search.
    expect(reads).toBe(7);
    expect(r).toMatchObject({
      valid: "unknown",
      reason: expect.stringMatching(
        /^time limit of 5 ms reached while checking the unkeyed object \(31 ops; at most \d+ of the 31 that returned linearized at once; \d+ configurations explored\); 0 of 1 keys found linearizable before it$/,
      ),
      keys: [{ key: "", valid: "unknown", ops: 31 }],
      progress: { keysChecked: 0, keysTotal: 1, key: "", ops: 31 },
    });
  });

  it("should return within the time limit plus 100 ms on the real clock", () => {
    const limit = 100;
    const readings: number[] = [];
    const now = (): number => {
      const t = performance.now();
      readings.push(t);
      return t;
    };
    const t0 = performance.now();
    const r = checkLinearizable(h(...hard(30)), { model: "register", timeLimitMs: limit, now });
    const elapsed = performance.now() - t0;
    expect(r.valid).toBe("unknown");
    // The clock is read every 1,024 search steps, about a millisecond apart: the median gap is far below 100 ms
    // even on a loaded machine, and the whole check ends well within the limit plus generous slack.
    const gaps = readings
      .slice(1)
      .map((t, i) => t - readings[i])
      .sort((a, b) => a - b);
    expect(gaps[Math.floor(gaps.length / 2)]).toBeLessThan(20);
    expect(elapsed).toBeLessThan(limit + 100 + 400);
  });

  it("should also honour the time limit while reading a long history", () => {
    const lines: Line[] = [];
    for (let i = 0; i < 10_000; i++) lines.push([0, "invoke", "write", i], [0, "ok", "write", i]);
    let reads = 0;
    const now = (): number => 1000 * reads++; // every reading is a second later
    const r = checkLinearizable(h(...lines), { model: "register", timeLimitMs: 500, now });
    expect(reads).toBe(2);
    expect(r).toMatchObject({
      valid: "unknown",
      reason: "time limit of 500 ms reached while reading the history (20000 entries)",
    });
  });

  it("should give unknown instead of exhausting memory when a key's search outgrows its budget", () => {
    const r = checkLinearizable(h(...hard(24)), { model: "register", maxCacheBytes: 256 * 1024 });
    expect(r).toMatchObject({
      valid: "unknown",
      reason: expect.stringMatching(
        /^memory budget of 262144 bytes exceeded while checking the unkeyed object/,
      ),
      keys: [{ key: "", valid: "unknown", ops: 25 }],
    });
  });

  it("should still find a later key invalid after an earlier key ran out of memory", () => {
    const bad: Line[] = [
      [100, "invoke", "write", 1, "b"],
      [100, "ok", "write", 1, "b"],
      [101, "invoke", "read", null, "b"],
      [101, "ok", "read", 2, "b"],
    ];
    const history: Op[] = h(...hard(24, "a"), ...bad);
    const r = checkLinearizable(history, { model: "register", maxCacheBytes: 256 * 1024 });
    expect(r).toMatchObject({
      valid: false,
      keys: [
        { key: "a", valid: "unknown", ops: 25 },
        { key: "b", valid: false, ops: 2 },
      ],
      counterexample: { key: "b", op: { index: 52 } },
    });
  });

  it("should find the hard history invalid when given the time", () => {
    const r = checkLinearizable(h(...hard(8)), { model: "register" });
    expect(r).toMatchObject({ valid: false, counterexample: { op: { f: "read", index: 8 } } });
  });
});
