import { describe, expect, it } from "vitest";
import {
  checkLinearizable,
  createMultiRegisterModel,
  createModel,
} from "../../checkers/linearizable/index.js";
import { h } from "./linearizable-support.js";

const txn = (p: number, invoke: unknown, done: unknown, type: "ok" | "fail" | "info" = "ok") =>
  [[p, "invoke", "txn", invoke] as const, [p, type, "txn", done] as const] as const;

describe("createMultiRegisterModel", () => {
  it("should find transactions that read what earlier ones wrote valid, starting from the initial values", () => {
    const history = h(
      ...txn(0, [["write", "x", 1]], [["write", "x", 1]]),
      ...txn(
        1,
        [
          ["read", "x", null],
          ["read", "y", null],
        ],
        [
          ["read", "x", 1],
          ["read", "y", 0],
        ],
      ),
    );
    const r = checkLinearizable(history, { model: "multi-register", initial: { x: 0, y: 0 } });
    expect(r).toMatchObject({ valid: true, model: "multi-register", ops: 2, keyCount: 1 });
    // Without the initial values, y read 0 from a register never written.
    expect(checkLinearizable(history, { model: "multi-register" }).valid).toBe(false);
  });

  it("should find a transaction that reads one write of another transaction but not the other invalid", () => {
    const r = checkLinearizable(
      h(
        ...txn(
          0,
          [
            ["w", "x", 1],
            ["w", "y", 1],
          ],
          [
            ["w", "x", 1],
            ["w", "y", 1],
          ],
        ),
        ...txn(
          1,
          [
            ["r", "x", null],
            ["r", "y", null],
          ],
          [
            ["r", "x", 1],
            ["r", "y", 0],
          ],
        ),
      ),
      { model: "multi-register", initial: { x: 0, y: 0 } },
    );
    expect(r.valid).toBe(false);
    if (r.valid === false) {
      expect(r.counterexample?.op.description).toBe("txn [read x → 1, read y → 0]");
      expect(r.anomalies[0].explanation).toContain("{x 1, y 1}");
    }
  });

  it("should read a nil read as unknown under Jepsen's semantics only, and drop failed transactions", () => {
    const history = h(
      ...txn(0, [["write", "x", 5]], [["write", "x", 5]], "fail"),
      ...txn(1, [["read", "x", null]], [["read", "x", null]]),
    );
    expect(
      checkLinearizable(history, { model: "multi-register", initial: { x: 0 }, semantics: "jepsen" }).valid,
    ).toBe(true);
    expect(checkLinearizable(history, { model: "multi-register", initial: { x: 0 } }).valid).toBe(false);
  });

  it("should let an info transaction's writes happen or not, and its reads observe nothing", () => {
    const history = h(
      ...txn(
        0,
        [
          ["read", "x", null],
          ["write", "x", 2],
        ],
        [
          ["read", "x", null],
          ["write", "x", 2],
        ],
        "info",
      ),
      ...txn(1, [["read", "x", null]], [["read", "x", 2]]),
      ...txn(2, [["read", "x", null]], [["read", "x", 2]]),
    );
    expect(checkLinearizable(history, { model: "multi-register", initial: { x: 0 } }).valid).toBe(true);
  });

  it("should refuse an initial state that is not an object, and an op it does not know", () => {
    expect(() => createMultiRegisterModel({ initial: [1] })).toThrow(
      "multi-register's initial state must be an object of key → value, got [1]",
    );
    expect(() => createModel("multi-register", { initial: 3 })).toThrow(/must be an object/);
    const r = checkLinearizable(h([0, "invoke", "read", null], [0, "ok", "read", 1]), {
      model: "multi-register",
    });
    expect(r.valid).toBe("unknown");
    if (r.valid === "unknown") expect(r.reason).toContain('model multi-register has no operation f="read"');
  });
});
