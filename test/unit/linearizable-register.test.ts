import { describe, expect, it } from "vitest";
import { checkLinearizable, registerModel } from "../../checkers/linearizable/index.js";
import { h } from "./linearizable-support.js";

const register = { model: "register" } as const;

describe("checkLinearizable", () => {
  it("should find a sequential read of the last write valid, with the whole result", () => {
    const r = checkLinearizable(
      h([0, "invoke", "write", 1], [0, "ok", "write", 1], [1, "invoke", "read", null], [1, "ok", "read", 1]),
      register,
    );
    expect(r).toEqual({
      valid: true,
      model: "register",
      ops: 2,
      dropped: 0,
      keyCount: 1,
      keys: [{ key: "", valid: true, ops: 2 }],
    });
  });

  it("should find a stale read invalid and explain it with the prefix and the conflicting state", () => {
    const r = checkLinearizable(
      h(
        [0, "invoke", "write", 1],
        [0, "ok", "write", 1],
        [1, "invoke", "write", 2],
        [1, "ok", "write", 2],
        [2, "invoke", "read", null],
        [2, "ok", "read", 1],
      ),
      register,
    );
    const write = (index: number, process: number, v: number) => ({
      index,
      completionIndex: index + 1,
      process,
      f: "write",
      value: v,
      result: v,
      type: "ok",
      invokeTime: index * 1000,
      completeTime: (index + 1) * 1000,
      description: `write ${v}`,
    });
    expect(r).toEqual({
      valid: false,
      anomalies: [
        {
          kind: "nonlinearizable",
          explanation:
            "On the unkeyed object, read → 1 — op 4 (process 2, invoked at 4.000 µs, returned at 5.000 µs) — " +
            "cannot be linearized: every order of the ops before and alongside it leaves the unkeyed object at 2 " +
            "where it could take effect. Longest linearizable prefix (2 of 3 ops on the unkeyed object): from " +
            "null: [op 0] write 1 ⇒ 1; [op 2] write 2 ⇒ 2.",
          ops: [4],
          key: "",
        },
      ],
      model: "register",
      ops: 3,
      dropped: 0,
      keyCount: 1,
      keys: [{ key: "", valid: false, ops: 3 }],
      counterexample: {
        key: "",
        ops: 3,
        initialState: "null",
        prefix: [
          { op: write(0, 0, 1), stateAfter: "1" },
          { op: write(2, 1, 2), stateAfter: "2" },
        ],
        op: {
          index: 4,
          completionIndex: 5,
          process: 2,
          f: "read",
          value: null,
          result: 1,
          type: "ok",
          invokeTime: 4000,
          completeTime: 5000,
          description: "read → 1",
        },
        stateBefore: "2",
        conflictingStates: ["2"],
        conflictingStatesTruncated: false,
        legalSomewhere: false,
      },
    });
  });

  it("should allow either order of concurrent writes but not both when reads see both", () => {
    const writes = [
      [0, "invoke", "write", 1],
      [1, "invoke", "write", 2],
      [0, "ok", "write", 1],
      [1, "ok", "write", 2],
    ] as const;
    const read = (v: number) => [[2, "invoke", "read", null] as const, [2, "ok", "read", v] as const];
    expect(checkLinearizable(h(...writes, ...read(1)), register).valid).toBe(true);
    expect(checkLinearizable(h(...writes, ...read(2)), register).valid).toBe(true);
    const r = checkLinearizable(h(...writes, ...read(1), ...read(2)), register);
    expect(r.valid).toBe(false);
    if (r.valid === false) {
      expect(r.counterexample?.op.index).toBe(6);
      expect(r.anomalies[0].explanation).toContain("read → 2 — op 6 (process 2");
      expect(r.counterexample?.conflictingStates).toEqual(["1"]);
    }
  });

  it("should assume a timed-out write took effect when a later read saw its value", () => {
    const r = checkLinearizable(
      h(
        [0, "invoke", "write", 1],
        [0, "ok", "write", 1],
        [1, "invoke", "write", 2],
        [1, "info", "write", 2, undefined, "timeout"],
        [2, "invoke", "read", null],
        [2, "ok", "read", 2],
      ),
      register,
    );
    expect(r.valid).toBe(true);
  });

  it("should not assume a timed-out write took effect, but never undo it once seen", () => {
    const base = [
      [0, "invoke", "write", 1],
      [0, "ok", "write", 1],
      [1, "invoke", "write", 2],
      [1, "info", "write", null, undefined, "timeout"], // info carries the invoke's arguments
    ] as const;
    const read = (v: number) => [[2, "invoke", "read", null] as const, [2, "ok", "read", v] as const];
    expect(checkLinearizable(h(...base, ...read(1)), register).valid).toBe(true);
    expect(checkLinearizable(h(...base, ...read(1), ...read(2)), register).valid).toBe(true);
    const r = checkLinearizable(h(...base, ...read(2), ...read(1)), register);
    expect(r.valid).toBe(false);
    if (r.valid === false) expect(r.counterexample?.op.index).toBe(6);
  });

  it("should treat an invoke that never completed as a write that may take effect at any later time", () => {
    const r = checkLinearizable(
      h(
        [1, "invoke", "write", 7],
        [0, "invoke", "read", null],
        [0, "ok", "read", null],
        [0, "invoke", "read", null],
        [0, "ok", "read", 7],
      ),
      register,
    );
    expect(r).toMatchObject({ valid: true, ops: 3, keys: [{ key: "", valid: true, ops: 3 }] });
  });

  it("should drop failed writes and reads that did not return", () => {
    const r = checkLinearizable(
      h(
        [0, "invoke", "write", 1],
        [0, "fail", "write", 1, undefined, "READONLY"],
        [1, "invoke", "read", null],
        [1, "info", "read", null, undefined, "timeout"],
        [2, "invoke", "read", null],
        [2, "fail", "read", null, undefined, "refused"],
        [3, "invoke", "read", null],
        [3, "ok", "read", 1],
      ),
      register,
    );
    expect(r).toMatchObject({ valid: false, ops: 4, dropped: 3 });
    if (r.valid === false) {
      expect(r.anomalies[0].explanation).toContain("read → 1 — op 6 (process 3");
      expect(r.counterexample?.conflictingStates).toEqual(["null"]);
      expect(r.counterexample?.prefix).toEqual([]);
      expect(r.anomalies[0].explanation).toContain("it is empty (initial state null)");
    }
  });

  it("should compare structured values structurally", () => {
    const r = checkLinearizable(
      h(
        [0, "invoke", "write", { b: 1, a: [1, 2] }],
        [0, "ok", "write"],
        [1, "invoke", "read", null],
        [1, "ok", "read", { a: [1, 2], b: 1 }],
      ),
      register,
    );
    expect(r.valid).toBe(true);
    const s = checkLinearizable(
      h(
        [0, "invoke", "write", "[1,2]"],
        [0, "ok", "write"],
        [1, "invoke", "read", null],
        [1, "ok", "read", [1, 2]],
      ),
      register,
    );
    expect(s.valid).toBe(false);
  });
});

describe("registerModel", () => {
  it("should step reads and writes and describe them", () => {
    const w = registerModel.operation({
      f: "write",
      key: "k",
      args: 3,
      result: undefined,
      type: "ok",
      error: undefined,
    })!;
    const rd = registerModel.operation({
      f: "read",
      key: "k",
      args: null,
      result: 3,
      type: "ok",
      error: undefined,
    })!;
    expect(registerModel.step(null, w.input, w.output)).toEqual({ ok: true, state: 3 });
    expect(registerModel.step(3, rd.input, rd.output)).toEqual({ ok: true, state: 3 });
    expect(registerModel.step(4, rd.input, rd.output)).toEqual({ ok: false });
    expect(registerModel.describeOperation(w.input, w.output)).toBe("write 3");
    expect(registerModel.describeOperation(rd.input, rd.output)).toBe("read → 3");
    expect(
      registerModel.partition({ f: "read", key: "k", args: null, result: 3, type: "ok", error: undefined }),
    ).toBe("k");
    expect(registerModel.effect?.(w.input, w.output)).toBe("blind");
    expect(registerModel.effect?.(rd.input, rd.output)).toBe("preserving");
  });
});
