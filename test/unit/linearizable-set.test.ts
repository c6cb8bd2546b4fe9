import { describe, expect, it } from "vitest";
import { checkLinearizable, setModel } from "../../checkers/linearizable/index.js";
import { h } from "./linearizable-support.js";

const set = { model: "set" } as const;
const add = (p: number, x: unknown) => [[p, "invoke", "add", x] as const, [p, "ok", "add", x] as const];
const read = (p: number, xs: unknown[] | null) => [
  [p, "invoke", "read", null] as const,
  [p, "ok", "read", xs] as const,
];

describe("checkLinearizable", () => {
  it("should accept reads of the whole set in any order, with the whole result", () => {
    const r = checkLinearizable(
      h(...add(0, 1), ...add(1, 2), ...read(2, [2, 1]), ...read(2, [1, 2, 2])),
      set,
    );
    expect(r).toEqual({
      valid: true,
      model: "set",
      ops: 4,
      dropped: 0,
      keyCount: 1,
      keys: [{ key: "", valid: true, ops: 4 }],
    });
  });

  it("should find a read missing an acknowledged add invalid and show the set it should have seen", () => {
    const r = checkLinearizable(h(...add(0, 1), ...add(1, "a"), ...read(2, [1])), set);
    expect(r.valid).toBe(false);
    if (r.valid === false) {
      expect(r.counterexample).toMatchObject({ stateBefore: '{"a", 1}', conflictingStates: ['{"a", 1}'] });
      expect(r.anomalies[0].explanation).toContain("read → {1} — op 4 (process 2");
    }
  });

  it("should read a missing set (null) as empty", () => {
    expect(checkLinearizable(h(...read(0, null), ...add(1, 1), ...read(0, [1])), set).valid).toBe(true);
    expect(checkLinearizable(h(...add(1, 1), ...read(0, null)), set).valid).toBe(false);
  });

  it("should find a read of an element never added invalid", () => {
    expect(checkLinearizable(h(...add(0, 1), ...read(2, [1, 3])), set).valid).toBe(false);
  });

  it("should let an add of unknown outcome appear later, but not vanish again", () => {
    const timedOut = [[0, "invoke", "add", 5] as const, [0, "info", "add", 5, undefined, "timeout"] as const];
    expect(checkLinearizable(h(...timedOut, ...read(1, []), ...read(1, [5])), set).valid).toBe(true);
    expect(checkLinearizable(h(...timedOut, ...read(1, [5]), ...read(1, [])), set).valid).toBe(false);
  });
});

describe("setModel", () => {
  it("should keep states canonical so that equal sets compare equal", () => {
    const a = setModel.operation({
      f: "add",
      key: undefined,
      args: 2,
      result: undefined,
      type: "ok",
      error: undefined,
    })!;
    const b = setModel.operation({
      f: "add",
      key: undefined,
      args: 1,
      result: undefined,
      type: "ok",
      error: undefined,
    })!;
    const after = (first: typeof a, second: typeof a) => {
      const one = setModel.step(setModel.init(), first.input, null);
      if (!one.ok) throw new Error("add is always legal");
      const two = setModel.step(one.state, second.input, null);
      if (!two.ok) throw new Error("add is always legal");
      return two.state;
    };
    const s1 = after(a, b);
    const s2 = after(b, a);
    expect(setModel.equal(s1, s2)).toBe(true);
    expect(setModel.hash(s1)).toBe(setModel.hash(s2));
    expect(setModel.describeState(s1)).toBe("{1, 2}");
  });
});
