import { describe, expect, it } from "vitest";
import { checkListAppend, kindsProhibitedBy, modelsRuledOutBy } from "../../checkers/list-append/index.js";
import type { Op } from "../../checkers/history/op.js";
import { runChecker } from "../../checkers/registry/index.js";
import { histories, TxnHistory } from "./list-append-fixtures.js";

const validResult = (txns: { ok: number; fail: number; info: number }) => ({
  valid: true,
  anomalyTypes: [],
  counts: {},
  allowed: [],
  rulesOut: [],
  txns,
  incomplete: [],
});

describe("checkListAppend", () => {
  describe("valid histories", () => {
    it("should answer unknown, nothing to judge, when the history is empty", () => {
      expect(checkListAppend([])).toEqual({
        ...validResult({ ok: 0, fail: 0, info: 0 }),
        valid: "unknown",
        reason: "the history holds no client operation: nothing to judge",
      });
    });

    it("should be valid when transactions run one at a time and every read is right", () => {
      expect(checkListAppend(histories.serial().ops)).toEqual(validResult({ ok: 4, fail: 0, info: 0 }));
    });

    it("should be valid when info transactions may or may not have happened and a failed append is never read", () => {
      expect(checkListAppend(histories.concurrentWithInfo().ops)).toEqual(
        validResult({ ok: 3, fail: 1, info: 3 }),
      );
    });

    it("should ignore ops other than txn when nemesis and monitor ops are interleaved", () => {
      const h = new TxnHistory()
        .other({ process: "nemesis", type: "invoke", f: "kill-leader", value: null })
        .txn(0, [["append", 7, "a"]])
        .other({ process: "monitor", type: "info", f: "leader", value: "n2" })
        .txn(1, [["r", 7, ["a"]]]);
      expect(checkListAppend(h.ops)).toEqual(validResult({ ok: 2, fail: 0, info: 0 }));
    });

    it("should not mutate the history when it checks an invalid one", () => {
      const ops = histories.GSingle().ops;
      const copy = structuredClone(ops);
      checkListAppend(ops);
      expect(ops).toEqual(copy);
    });

    it("should return the same result when run twice on the same history", () => {
      const ops = histories.GNonadjacent().ops;
      expect(checkListAppend(ops)).toEqual(checkListAppend(ops));
    });
  });

  describe("models and anomaly selection", () => {
    it("should accept write skew under snapshot isolation and still say which models it rules out", () => {
      const r = checkListAppend(histories.G2Item().ops, { model: "snapshot-isolation" });
      expect(r).toEqual({
        valid: true,
        anomalyTypes: [],
        counts: { "G2-item": 1 },
        allowed: ["G2-item"],
        rulesOut: ["repeatable-read", "serializable", "strict-serializable"],
        txns: { ok: 3, fail: 0, info: 0 },
        incomplete: [],
      });
    });

    it("should reject read skew under snapshot isolation when a G-single is found", () => {
      const r = checkListAppend(histories.GSingle().ops, { model: "snapshot-isolation" });
      expect(r.valid).toBe(false);
      expect(r.anomalyTypes).toEqual(["G-single"]);
    });

    it("should accept a stale read under serializable and not search real-time cycles when the model has none", () => {
      const r = checkListAppend(histories.staleReadRealtime().ops, { model: "serializable" });
      expect(r).toEqual(validResult({ ok: 3, fail: 0, info: 0 }));
    });

    it("should judge only the named anomalies when anomalies is given", () => {
      const r = checkListAppend(histories.lostUpdate().ops, { anomalies: ["G1a"] });
      expect(r).toEqual({
        valid: true,
        anomalyTypes: [],
        counts: { "lost-update": 1 },
        allowed: ["lost-update"],
        rulesOut: ["repeatable-read", "snapshot-isolation", "serializable", "strict-serializable"],
        txns: { ok: 2, fail: 0, info: 0 },
        incomplete: [],
      });
    });

    it("should map each anomaly to the models Adya and Elle say it rules out", () => {
      expect(modelsRuledOutBy("G0")).toEqual([
        "read-uncommitted",
        "read-committed",
        "repeatable-read",
        "snapshot-isolation",
        "serializable",
        "strict-serializable",
      ]);
      expect(modelsRuledOutBy("G1c")).toEqual([
        "read-committed",
        "repeatable-read",
        "snapshot-isolation",
        "serializable",
        "strict-serializable",
      ]);
      expect(modelsRuledOutBy("G-single")).toEqual([
        "repeatable-read",
        "snapshot-isolation",
        "serializable",
        "strict-serializable",
      ]);
      expect(modelsRuledOutBy("G2-item")).toEqual(["repeatable-read", "serializable", "strict-serializable"]);
      expect(modelsRuledOutBy("internal")).toEqual([
        "snapshot-isolation",
        "serializable",
        "strict-serializable",
      ]);
      expect(modelsRuledOutBy("G0-process")).toEqual(["strict-serializable"]);
      expect(modelsRuledOutBy("G2-item-realtime")).toEqual(["strict-serializable"]);
    });

    it("should prohibit only G0 and the list anomalies of PL-1 when the model is read-uncommitted", () => {
      expect(kindsProhibitedBy("read-uncommitted")).toEqual([
        "duplicate-elements",
        "unexpected-element",
        "G0",
      ]);
    });
  });

  describe("budgets and bad input", () => {
    it("should be unknown with the reason when the time budget runs out before anything is proven", () => {
      let t = 0;
      const r = checkListAppend(histories.serial().ops, { timeLimitMs: 10, now: () => (t += 6) });
      expect(r).toEqual({
        valid: "unknown",
        reason: "analysis incomplete: time budget of 10 ms exhausted while inferring version orders",
        anomalyTypes: [],
        counts: {},
        allowed: [],
        rulesOut: [],
        txns: { ok: 4, fail: 0, info: 0 },
        incomplete: ["time budget of 10 ms exhausted while inferring version orders"],
      });
    });

    it("should stay invalid when the time budget runs out after an anomaly was proven", () => {
      let t = 0;
      const r = checkListAppend(histories.G1a().ops, { timeLimitMs: 10, now: () => (t += 4) });
      expect(r.valid).toBe(false);
      expect(r.anomalyTypes).toEqual(["G1a"]);
      expect(r.incomplete).toEqual(["time budget of 10 ms exhausted while inferring dependencies"]);
    });

    it("should still report the cycle and list the unfinished searches when the search step budget is spent", () => {
      const r = checkListAppend(histories.GSingle().ops, { maxSearchSteps: 0 });
      expect(r.valid).toBe(false);
      expect(r.anomalyTypes).toEqual(["G-single"]);
      expect(r.incomplete).toEqual([
        "G-single in a component of 2 transactions",
        "G-nonadjacent in a component of 2 transactions",
        "G2-item in a component of 2 transactions",
        "G-nonadjacent-process in a component of 2 transactions",
        "G-nonadjacent-realtime in a component of 2 transactions",
        "G2-item-process in a component of 2 transactions",
        "G2-item-realtime in a component of 2 transactions",
      ]);
    });

    it("should be unknown rather than valid when only an allowed cycle was found before the search budget ran out", () => {
      const r = checkListAppend(histories.G2Item().ops, { maxSearchSteps: 0, model: "snapshot-isolation" });
      expect(r.valid).toBe("unknown");
      expect(r.allowed).toEqual(["G2-item"]);
      expect(r.valid === "unknown" && r.reason).toBe(
        "analysis incomplete: G-single in a component of 2 transactions; G-nonadjacent in a component of 2 transactions",
      );
    });

    it("should be unknown without checking when the history is longer than maxOps", () => {
      const r = checkListAppend(histories.serial().ops, { maxOps: 3 });
      expect(r).toEqual({
        valid: "unknown",
        reason: "the history has 8 entries, more than the size limit maxOps = 3",
        anomalyTypes: [],
        counts: {},
        allowed: [],
        rulesOut: [],
        txns: { ok: 0, fail: 0, info: 0 },
        incomplete: [],
      });
    });

    it("should be unknown naming the op and field when a micro-op is malformed", () => {
      const ops: Op[] = [
        { index: 0, time: 0, process: 0, type: "invoke", f: "txn", value: [["append", "x", 1]] },
        {
          index: 1,
          time: 1,
          process: 0,
          type: "ok",
          f: "txn",
          value: [
            ["append", "x", 1],
            ["r", "x", "oops"],
          ],
        },
      ];
      const r = checkListAppend(ops);
      expect(r.valid).toBe("unknown");
      expect(r.valid === "unknown" && r.reason).toBe(
        "op 1 (ok txn): value[1][2] (the read) must be the list read",
      );
    });

    it("should be unknown naming both ops when two transactions append the same element to one key", () => {
      const h = new TxnHistory().txn(0, [["append", "x", 1]]).txn(1, [["append", "x", 1]]);
      const r = checkListAppend(h.ops);
      expect(r.valid === "unknown" && r.reason).toBe(
        'ops 1 and 3 both append 1 to key "x"; the list-append checker needs elements unique per key',
      );
    });

    it("should keep at most maxWitnesses anomalies per kind and count them all", () => {
      const h = new TxnHistory().invoke(0, [["append", "x", 1]]).fail(0);
      for (let p = 1; p <= 5; p++) h.txn(p, [["r", "x", [1]]]);
      const r = checkListAppend(h.ops, { maxWitnesses: 2 });
      expect(r.valid).toBe(false);
      expect(r.counts).toEqual({ G1a: 5 });
      expect(r.valid === false && r.anomalies.map((a) => a.ops)).toEqual([
        [3, 1],
        [5, 1],
      ]);
    });
  });
});

describe("listAppendChecker", () => {
  it("should run through the registry by name with JSON options when registered as list-append", () => {
    const r = runChecker(
      { name: "list-append", options: { model: "serializable", timeLimitMs: 60_000 } },
      histories.staleReadRealtime().ops,
    );
    expect(r).toEqual({
      valid: true,
      anomalyTypes: [],
      counts: {},
      allowed: [],
      rulesOut: [],
      txns: { ok: 3, fail: 0, info: 0 },
      incomplete: [],
    });
  });

  it("should be unknown naming the kind when options.anomalies names an unknown anomaly", () => {
    const r = runChecker({ name: "list-append", options: { anomalies: ["G1a", "G9"] } }, histories.G1a().ops);
    expect(r.valid).toBe("unknown");
    expect(r.valid === "unknown" && r.reason).toContain('unknown anomaly kind "G9"');
  });
});
