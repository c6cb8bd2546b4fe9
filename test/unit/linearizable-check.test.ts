import { describe, expect, it } from "vitest";
import type { Op } from "../../checkers/history/index.js";
import {
  ILLEGAL,
  READ,
  checkLinearizable,
  createModel,
  legal,
  linearizableChecker,
  registerModel,
  withSemantics,
} from "../../checkers/linearizable/index.js";
import type { Call, Model } from "../../checkers/linearizable/index.js";
import { h } from "./linearizable-support.js";

function deepFreeze<T>(x: T): T {
  if (x !== null && typeof x === "object") {
    for (const v of Object.values(x)) deepFreeze(v);
    Object.freeze(x);
  }
  return x;
}

describe("checkLinearizable", () => {
  it("should answer unknown, nothing to judge, with the whole result when the history is empty", () => {
    expect(checkLinearizable([], { model: "register" })).toEqual({
      valid: "unknown",
      reason: "the history holds no client operation: nothing to judge",
      model: "register",
      ops: 0,
      dropped: 0,
      keyCount: 0,
      keys: [],
    });
  });

  it("should ignore the nemesis and the monitor", () => {
    const history: Op[] = [
      { index: 0, time: 0, process: "nemesis", type: "info", f: "partition", value: ["n1"] },
      { index: 1, time: 1, process: 0, type: "invoke", f: "write", value: 1 },
      { index: 2, time: 2, process: "monitor", type: "ok", f: "leader", value: "n2" },
      { index: 3, time: 3, process: 0, type: "ok", f: "write", value: 1 },
    ];
    expect(checkLinearizable(history, { model: "register" })).toMatchObject({ valid: true, ops: 1 });
  });

  it("should give unknown naming the model list when the model is unknown", () => {
    expect(checkLinearizable([], { model: "queue" as never })).toEqual({
      valid: "unknown",
      reason:
        'option model: unknown model "queue" (one of register, cas-register, multi-register, mutex, kv, set, counter)',
      model: "?",
      ops: 0,
      dropped: 0,
      keyCount: 0,
      keys: [],
    });
  });

  it("should give unknown naming the op when the model does not know its f", () => {
    const r = checkLinearizable(h([0, "invoke", "incr", 1], [0, "ok", "incr", 1]), { model: "register" });
    expect(r).toMatchObject({
      valid: "unknown",
      reason:
        'cannot check this history: op at index 0 (process 0, f "incr"): model register has no operation f="incr" (it knows read, write)',
    });
  });

  it("should give unknown naming the op when a completion has no invoke", () => {
    const r = checkLinearizable(h([0, "ok", "write", 1]), { model: "register" });
    expect(r).toMatchObject({
      valid: "unknown",
      reason:
        'cannot check this history: op at index 0 (process 0, f "write") completes an op that was never invoked',
    });
  });

  it("should give unknown without checking when the history is longer than maxOps", () => {
    const r = checkLinearizable(h([0, "invoke", "write", 1], [0, "ok", "write", 1]), {
      model: "register",
      maxOps: 1,
    });
    expect(r).toMatchObject({
      valid: "unknown",
      reason: "the history has 2 entries, more than the size limit maxOps = 1",
    });
  });

  it("should be deterministic and leave its input alone", () => {
    const history = deepFreeze(
      h(
        [0, "invoke", "write", 1, "a"],
        [1, "invoke", "write", 2, "a"],
        [0, "ok", "write", 1, "a"],
        [1, "info", "write", 2, "a", "timeout"],
        [2, "invoke", "read", null, "a"],
        [2, "ok", "read", 3, "a"],
      ),
    );
    const copy = structuredClone(history);
    const first = checkLinearizable(history, { model: "register" });
    expect(checkLinearizable(history, { model: "register" })).toEqual(first);
    expect(history).toEqual(copy);
    expect(first.valid).toBe(false);
  });

  it("should list only the last ops of a long prefix in the text and all of them in the data", () => {
    const lines = [];
    for (let v = 1; v <= 12; v++)
      lines.push([0, "invoke", "write", v] as const, [0, "ok", "write", v] as const);
    const r = checkLinearizable(h(...lines, [1, "invoke", "read", null], [1, "ok", "read", 3]), {
      model: "register",
    });
    expect(r.valid).toBe(false);
    if (r.valid === false) {
      expect(r.counterexample?.prefix).toHaveLength(12);
      expect(r.anomalies[0].explanation).toContain(
        "Longest linearizable prefix (12 of 13 ops on the unkeyed object): … 4 earlier ops; [op 8] write 5 ⇒ 5;",
      );
      expect(r.anomalies[0].explanation).toMatch(/\[op 22\] write 12 ⇒ 12\.$/);
    }
  });

  it("should name the read that follows a finished write yet misses it", () => {
    const r = checkLinearizable(
      h(
        [0, "invoke", "read", null],
        [1, "invoke", "write", 2],
        [1, "ok", "write", 2],
        [2, "invoke", "write", 1],
        [2, "ok", "write", 1],
        [0, "ok", "read", 1],
        [3, "invoke", "read", null],
        [3, "ok", "read", 2],
      ),
      { model: "register" },
    );
    expect(r.valid).toBe(false);
    if (r.valid === false) {
      expect(r.counterexample).toMatchObject({
        op: { index: 6 },
        conflictingStates: ["1"],
        legalSomewhere: false,
      });
      expect(r.anomalies[0].explanation).toContain("read → 2 — op 6 (process 3");
    }
  });

  it("should say so when the op was legal somewhere but every order that fits it in fails later", () => {
    // The read of 2 (op 5) fits after both writes with write 2 last, but then the reads of 1 cannot follow.
    const r = checkLinearizable(
      h(
        [3, "invoke", "write", 1],
        [4, "invoke", "write", 2],
        [4, "ok", "write", 2],
        [2, "invoke", "read", null],
        [3, "ok", "write", 1],
        [0, "invoke", "read", null],
        [1, "invoke", "read", null],
        [2, "ok", "read", 1],
        [1, "ok", "read", 1],
        [0, "ok", "read", 2],
      ),
      { model: "register" },
    );
    expect(r.valid).toBe(false);
    if (r.valid === false) {
      expect(r.counterexample).toMatchObject({ op: { index: 5 }, stateBefore: "1", legalSomewhere: true });
      expect(r.anomalies[0].explanation).toBe(
        "On the unkeyed object, read → 2 — op 5 (process 0, invoked at 5.000 µs, returned at 9.000 µs) — cannot be " +
          "linearized: the longest linearizable prefix leaves the unkeyed object at 1, where it is illegal, and every " +
          "order that fits it in makes a later op fail. Longest linearizable prefix (4 of 5 ops on the unkeyed " +
          "object): from null: [op 1] write 2 ⇒ 2; [op 0] write 1 ⇒ 1; [op 3] read → 1 ⇒ 1; [op 6] read → 1 ⇒ 1.",
      );
    }
  });

  it("should accept a model of one's own", () => {
    // A toggle: "flip" inverts a boolean, "look" reads it.
    const toggle: Model<boolean, "flip" | "look", boolean | null> = {
      name: "toggle",
      init: () => false,
      step: (s, input, output) => (input === "flip" ? legal(!s) : output === s ? legal(s) : ILLEGAL),
      equal: (a, b) => a === b,
      hash: (s) => (s ? 1 : 0),
      partition: (call) => call.key ?? "",
      operation: (call) =>
        call.f === "look"
          ? call.type === "ok"
            ? { input: "look", output: call.result as boolean }
            : null
          : call.type === "fail"
            ? null
            : { input: "flip", output: null },
      describeOperation: (input, output) => (input === "flip" ? "flip" : `look → ${String(output)}`),
      describeState: (s) => String(s),
    };
    const flips = (n: number) => {
      const lines = [];
      for (let i = 0; i < n; i++)
        lines.push([0, "invoke", "flip", null] as const, [0, "ok", "flip", null] as const);
      return lines;
    };
    const look = (v: boolean) => [[1, "invoke", "look", null] as const, [1, "ok", "look", v] as const];
    expect(checkLinearizable(h(...flips(3), ...look(true)), { model: toggle }).valid).toBe(true);
    const r = checkLinearizable(h(...flips(2), ...look(true)), { model: toggle });
    expect(r).toMatchObject({ valid: false, model: "toggle" });
  });
});

describe("linearizableChecker", () => {
  it("should check with the registry's options and clock", () => {
    expect(linearizableChecker.name).toBe("linearizable");
    expect(linearizableChecker.defaultOptions).toEqual({
      model: "cas-register",
      initial: null,
      semantics: "faultline",
      timeLimitMs: null,
      maxOps: null,
      maxCacheBytes: null,
      workers: null,
    });
    const history = h(
      [0, "invoke", "write", 1],
      [0, "ok", "write", 1],
      [1, "invoke", "read", null],
      [1, "ok", "read", 2],
    );
    const r = linearizableChecker.check(
      history,
      { ...linearizableChecker.defaultOptions, model: "register" },
      { now: () => 0 },
    );
    expect(r.valid).toBe(false);
  });

  it("should start from the initial state and read with the semantics its options name", () => {
    // A read of 0 before any write is legal only from an initial 0; a read of nil only under Jepsen's semantics.
    const history = h(
      [0, "invoke", "read", null],
      [0, "ok", "read", 0],
      [1, "invoke", "read", null],
      [1, "ok", "read", null],
    );
    const run = (options: Partial<typeof linearizableChecker.defaultOptions>) =>
      linearizableChecker.check(
        history,
        { ...linearizableChecker.defaultOptions, ...options },
        { now: () => 0 },
      ).valid;
    expect(run({ initial: 0, semantics: "jepsen" })).toBe(true);
    expect(run({ initial: 0, semantics: "faultline" })).toBe(false);
    expect(run({ initial: null, semantics: "jepsen" })).toBe(false);
  });
});

describe("createModel", () => {
  it("should start kv, set and counter from an initial state, and refuse one that does not fit", () => {
    const get = (v: unknown) => h([0, "invoke", "get", null], [0, "ok", "get", v]);
    expect(checkLinearizable(get("ab"), { model: "kv", initial: "ab" }).valid).toBe(true);
    expect(checkLinearizable(get("ab"), { model: "kv" }).valid).toBe(false);
    const read = (v: unknown) => h([0, "invoke", "read", null], [0, "ok", "read", v]);
    expect(checkLinearizable(read([2, 1]), { model: "set", initial: [1, 2] }).valid).toBe(true);
    expect(checkLinearizable(read(7), { model: "counter", initial: 7 }).valid).toBe(true);
    expect(() => createModel("kv", { initial: 3 })).toThrow("kv's initial state must be a string, got 3");
    expect(checkLinearizable(read(1), { model: "counter", initial: "x" })).toMatchObject({
      valid: "unknown",
      reason: 'option initial: counter\'s initial state must be a number, got "x"',
    });
  });

  it("should drop every fail under Jepsen's semantics, for a model of one's own too", () => {
    // A register whose writes' fails are observations (a model of one's own), read with Jepsen's semantics.
    const observing = {
      ...registerModel,
      operation: (c: Call) => ({ input: READ, output: c.type === "fail" ? 1 : null }),
    };
    const failed = h([0, "invoke", "write", 1], [0, "fail", "write", 1]);
    expect(checkLinearizable(failed, { model: observing }).valid).toBe(false);
    expect(checkLinearizable(failed, { model: withSemantics(observing, "jepsen") }).valid).toBe(true);
    const seen: string[] = [];
    const spy = { ...registerModel, operation: (c: Call) => (seen.push(c.type), registerModel.operation(c)) };
    expect(
      checkLinearizable(h([0, "invoke", "write", 1], [0, "fail", "write", 1]), {
        model: spy,
        semantics: "jepsen",
      }),
    ).toMatchObject({ valid: true, dropped: 1 });
    expect(seen).toEqual(["fail"]); // the model still saw the call (so an unknown f is still reported)
    expect(checkLinearizable([], { model: spy, initial: 0 })).toMatchObject({
      valid: "unknown",
      reason: "option initial applies to the built-in models; a Model object starts from its own init()",
    });
    expect(checkLinearizable([], { model: "register", semantics: "knossos" as never })).toMatchObject({
      valid: "unknown",
      reason: 'option semantics must be "jepsen" or "faultline", got "knossos"',
    });
  });
});
