import { describe, expect, it } from "vitest";
import { casRegisterModel, checkLinearizable } from "../../checkers/linearizable/index.js";
import { h } from "./linearizable-support.js";

const cas = { model: "cas-register" } as const;
const write1 = [
  [0, "invoke", "write", 1],
  [0, "ok", "write", 1],
] as const;
const read = (p: number, v: unknown) => [[p, "invoke", "read", null] as const, [p, "ok", "read", v] as const];

describe("checkLinearizable", () => {
  it("should find a cas that swapped from the value it expected valid, with the whole result", () => {
    const r = checkLinearizable(
      h(...write1, [1, "invoke", "cas", [1, 2]], [1, "ok", "cas", [1, 2]], ...read(2, 2)),
      cas,
    );
    expect(r).toEqual({
      valid: true,
      model: "cas-register",
      ops: 3,
      dropped: 0,
      keyCount: 1,
      keys: [{ key: "", valid: true, ops: 3 }],
    });
  });

  it("should find a cas that swapped from a value the register did not hold invalid", () => {
    const r = checkLinearizable(h(...write1, [1, "invoke", "cas", [3, 2]], [1, "ok", "cas", [3, 2]]), cas);
    expect(r.valid).toBe(false);
    if (r.valid === false) {
      expect(r.anomalies[0].explanation).toBe(
        "On the unkeyed object, cas 3 → 2 (swapped) — op 2 (process 1, invoked at 2.000 µs, returned at 3.000 µs) — " +
          "cannot be linearized: every order of the ops before and alongside it leaves the unkeyed object at 1 where " +
          "it could take effect. Longest linearizable prefix (1 of 2 ops on the unkeyed object): from null: " +
          "[op 0] write 1 ⇒ 1.",
      );
    }
  });

  it("should read a fail without an error as a cas that ran and did not swap", () => {
    const mismatch = checkLinearizable(
      h(...write1, [1, "invoke", "cas", [3, 2]], [1, "fail", "cas", [3, 2]]),
      cas,
    );
    expect(mismatch.valid).toBe(true);
    const r = checkLinearizable(h(...write1, [1, "invoke", "cas", [1, 2]], [1, "fail", "cas", [1, 2]]), cas);
    expect(r.valid).toBe(false);
    if (r.valid === false) {
      expect(r.counterexample?.op).toMatchObject({
        index: 2,
        f: "cas",
        type: "fail",
        description: "cas 1 → 2 (did not swap)",
      });
      expect(r.anomalies[0].explanation).toContain("failed at 3.000 µs");
    }
  });

  it("should read a fail with an error as a refusal: no effect and no observation", () => {
    const r = checkLinearizable(
      h(
        ...write1,
        [1, "invoke", "cas", [1, 2]],
        [1, "fail", "cas", [1, 2], undefined, "READONLY"],
        ...read(2, 1),
      ),
      cas,
    );
    expect(r).toMatchObject({ valid: true, ops: 3, dropped: 1 });
  });

  it("should let a cas of unknown outcome swap or not", () => {
    const timedOut = [
      [1, "invoke", "cas", [1, 2]],
      [1, "info", "cas", [1, 2], undefined, "timeout"],
    ] as const;
    expect(checkLinearizable(h(...write1, ...timedOut, ...read(2, 2)), cas).valid).toBe(true);
    expect(checkLinearizable(h(...write1, ...timedOut, ...read(2, 1)), cas).valid).toBe(true);
    expect(checkLinearizable(h(...write1, ...timedOut, ...read(2, 2), ...read(2, 1)), cas).valid).toBe(false);
    // It can only swap from 1: after a write of 5, a read of 2 needs the cas before it.
    const late = h(...write1, ...timedOut, [0, "invoke", "write", 5], [0, "ok", "write", 5], ...read(2, 2));
    expect(checkLinearizable(late, cas).valid).toBe(false);
  });

  it("should chain writes and cas of unknown outcome when only both explain a read", () => {
    const r = checkLinearizable(
      h(
        [0, "invoke", "write", 5],
        [0, "info", "write", 5, undefined, "timeout"],
        [1, "invoke", "cas", [5, 7]],
        [1, "info", "cas", [5, 7], undefined, "timeout"],
        ...read(2, 7),
      ),
      cas,
    );
    expect(r.valid).toBe(true);
  });

  it("should give unknown naming the op when a cas is not [expected, new]", () => {
    const r = checkLinearizable(h([0, "invoke", "cas", 3], [0, "ok", "cas", 3]), cas);
    expect(r).toMatchObject({
      valid: "unknown",
      reason:
        'cannot check this history: op at index 0 (process 0, f "cas"): cas takes [expected, new], got 3',
    });
  });
});

describe("casRegisterModel", () => {
  it("should say which ops are blind, state-preserving or neither", () => {
    const op = (f: string, type: "ok" | "fail" | "info", args: unknown, result?: unknown) =>
      casRegisterModel.operation({ f, key: undefined, args, result, type, error: undefined })!;
    const effects = [
      op("write", "ok", 1),
      op("read", "ok", null, 1),
      op("cas", "ok", [1, 2]),
      op("cas", "fail", [1, 2]),
      op("cas", "info", [1, 2]),
    ].map((o) => casRegisterModel.effect?.(o.input, o.output));
    expect(effects).toEqual(["blind", "preserving", "blind", "preserving", "other"]);
  });
});

describe("checkLinearizable with semantics jepsen", () => {
  const knossos = { model: "cas-register", initial: 0, semantics: "jepsen" } as const;

  it("should read a fail without an error as no effect and no observation, as Knossos does", () => {
    // Under faultline's semantics this cas observed a value other than 1; Jepsen's clients also use :fail for errors.
    const history = h(...write1, [1, "invoke", "cas", [1, 2]], [1, "fail", "cas", [1, 2]], ...read(2, 1));
    expect(checkLinearizable(history, cas).valid).toBe(false);
    expect(checkLinearizable(history, knossos)).toMatchObject({ valid: true, ops: 3, dropped: 1 });
  });

  it("should read an ok read of nil as an unknown value, and start from the initial value", () => {
    const history = h(...read(0, 0), ...read(1, null));
    expect(checkLinearizable(history, knossos)).toMatchObject({ valid: true, ops: 2, dropped: 1 });
    expect(checkLinearizable(history, { model: "cas-register", initial: 0 }).valid).toBe(false);
    expect(checkLinearizable(history, { model: "cas-register", semantics: "jepsen" }).valid).toBe(false);
  });

  it("should still find a cas that swapped from a value the register did not hold invalid", () => {
    const r = checkLinearizable(
      h(...write1, [1, "invoke", "cas", [3, 2]], [1, "ok", "cas", [3, 2]]),
      knossos,
    );
    expect(r.valid).toBe(false);
  });
});
