import { describe, expect, it } from "vitest";
import { checkLinearizable } from "../../checkers/linearizable/index.js";
import { h } from "./linearizable-support.js";

const counter = { model: "counter" } as const;
const incr = (p: number, d: number | null) => [
  [p, "invoke", "incr", d] as const,
  [p, "ok", "incr", d] as const,
];
const read = (p: number, v: number | null) => [
  [p, "invoke", "read", null] as const,
  [p, "ok", "read", v] as const,
];

describe("checkLinearizable", () => {
  it("should add deltas (incr without a value adds 1), with the whole result", () => {
    const r = checkLinearizable(
      h(
        ...read(0, null),
        ...incr(0, null),
        ...incr(1, 5),
        [2, "invoke", "add", -2],
        [2, "ok", "add", -2],
        ...read(0, 4),
      ),
      counter,
    );
    expect(r).toEqual({
      valid: true,
      model: "counter",
      ops: 5,
      dropped: 0,
      keyCount: 1,
      keys: [{ key: "", valid: true, ops: 5 }],
    });
  });

  it("should find a read below the acknowledged increments invalid", () => {
    const r = checkLinearizable(h(...incr(0, 1), ...incr(1, 1), ...read(2, 1)), counter);
    expect(r.valid).toBe(false);
    if (r.valid === false) expect(r.anomalies[0].explanation).toContain("read → 1 — op 4 (process 2");
  });

  it("should let increments of unknown outcome count or not, each at most once", () => {
    const timedOut = (p: number) => [
      [p, "invoke", "incr", 1] as const,
      [p, "info", "incr", 1, undefined, "timeout"] as const,
    ];
    const base = [...incr(0, 1), ...timedOut(1), ...timedOut(2)];
    for (const v of [1, 2, 3]) expect(checkLinearizable(h(...base, ...read(3, v)), counter).valid).toBe(true);
    expect(checkLinearizable(h(...base, ...read(3, 4)), counter).valid).toBe(false);
    expect(checkLinearizable(h(...base, ...read(3, 3), ...read(3, 2)), counter).valid).toBe(false);
  });
});
