import { describe, expect, it } from "vitest";
import { checkCounter } from "../../checkers/counter/index.js";
import { history } from "./support/build-history.js";

describe("checkCounter", () => {
  it("should be valid with its counts when every read is within its bounds", () => {
    const h = history(
      [0, "invoke", "add", 2],
      [0, "ok", "add", 2],
      [1, "invoke", "read"],
      [0, "invoke", "add", 3],
      [1, "ok", "read", 5],
      [0, "info", "add", 3],
      [2, "invoke", "incr", null],
      [2, "fail", "incr", null],
      [1, "invoke", "read"],
      [1, "ok", "read", 2],
    );
    expect(checkCounter(h)).toEqual({
      valid: true,
      counts: {
        add: { ok: 1, fail: 0, info: 1 },
        incr: { ok: 0, fail: 1, info: 0 },
        read: { ok: 2, fail: 0, info: 0 },
      },
      readCount: 2,
      keyCount: 1,
      errors: [],
      errorCount: 0,
    });
  });

  it("should report each out-of-bounds read with its bounds", () => {
    const h = history(
      [0, "invoke", "add", 2],
      [0, "ok", "add", 2],
      [1, "invoke", "read"],
      [1, "ok", "read", 1],
      [0, "invoke", "add", 1],
      [1, "invoke", "read", null, { node: "n2" }],
      [1, "ok", "read", 4],
    );
    expect(checkCounter(h)).toEqual({
      valid: false,
      anomalies: [
        {
          kind: "out-of-bounds",
          explanation:
            "the read invoked as op 2 at 0.002 s returned 1 for the counter, but it could only have been between 2 " +
            "and 2: 1 is below 2, the sum of the increments acknowledged before it began (plus every decrement that " +
            "may have applied)",
          ops: [2],
          read: { op: 2, completedAt: 3, time: 2_000_000, value: 1, lower: 2, upper: 2 },
        },
        {
          kind: "out-of-bounds",
          explanation:
            "the read invoked as op 5 at 0.005 s returned 4 for the counter, but it could only have been between 2 " +
            "and 3: 4 is above 3, the sum of every increment invoked before it completed (plus the decrements " +
            "acknowledged before it began)",
          ops: [5],
          read: { op: 5, completedAt: 6, time: 5_000_000, value: 4, lower: 2, upper: 3, node: "n2" },
        },
      ],
      counts: { add: { ok: 1, fail: 0, info: 1 }, read: { ok: 2, fail: 0, info: 0 } },
      readCount: 2,
      keyCount: 1,
      errors: [
        { op: 2, completedAt: 3, time: 2_000_000, value: 1, lower: 2, upper: 2 },
        { op: 5, completedAt: 6, time: 5_000_000, value: 4, lower: 2, upper: 3, node: "n2" },
      ],
      errorCount: 2,
    });
  });

  it("should widen the bounds downwards for negative deltas that may have applied", () => {
    // 10 acknowledged; a concurrent -4 may or may not have applied: reads of 6 and 10 are fine, 5 and 11 are not.
    const mk = (v: number) =>
      history(
        [0, "invoke", "add", 10],
        [0, "ok", "add", 10],
        [0, "invoke", "add", -4],
        [1, "invoke", "read"],
        [1, "ok", "read", v],
        [0, "ok", "add", -4],
      );
    expect(checkCounter(mk(6)).valid).toBe(true);
    expect(checkCounter(mk(10)).valid).toBe(true);
    expect(checkCounter(mk(5))).toMatchObject({ valid: false, errors: [{ lower: 6, upper: 10 }] });
    expect(checkCounter(mk(11))).toMatchObject({ valid: false, errors: [{ lower: 6, upper: 10 }] });
  });

  it("should count an acknowledged decrement before the read as certain", () => {
    const h = history(
      [0, "invoke", "add", -3],
      [0, "ok", "add", -3],
      [1, "invoke", "read"],
      [1, "ok", "read", 0],
    );
    expect(checkCounter(h)).toMatchObject({ valid: false, errors: [{ value: 0, lower: -3, upper: -3 }] });
  });

  it("should take the delta from the invoke, not the new count an ok completion may carry", () => {
    const h = history(
      [0, "invoke", "incr", null],
      [0, "ok", "incr", 41],
      [1, "invoke", "read"],
      [1, "ok", "read", 1],
    );
    expect(checkCounter(h, { initial: 0 }).valid).toBe(true);
  });

  it("should check each key as its own counter and read null as the initial value", () => {
    const h = history(
      [0, "invoke", "add", 1, { key: "a" }],
      [0, "ok", "add", 1, { key: "a" }],
      [1, "invoke", "read", null, { key: "b" }],
      [1, "ok", "read", null, { key: "b" }],
      [1, "invoke", "read", null, { key: "a" }],
      [1, "ok", "read", null, { key: "a" }],
    );
    expect(checkCounter(h)).toMatchObject({
      valid: false,
      keyCount: 2,
      errors: [{ key: "a", op: 4, value: 0 }],
    });
  });

  it("should be unknown naming the op when a delta or a read is not an integer", () => {
    expect(checkCounter(history([0, "invoke", "add", "x"], [0, "ok", "add", "x"]))).toMatchObject({
      valid: "unknown",
      reason: 'op 0: an add\'s value must be an integer delta, got "x"',
    });
    expect(checkCounter(history([0, "invoke", "read"], [0, "ok", "read", 1.5]))).toMatchObject({
      valid: "unknown",
      reason: "op 1: a read's ok value must be an integer, got 1.5",
    });
  });
});
