import { describe, expect, it } from "vitest";
import { fromJepsenEdn } from "../../checkers/history/edn/jepsen-edn.js";
import { buildGraph } from "../../checkers/list-append/dependencies.js";
import { Findings } from "../../checkers/list-append/findings.js";
import { edgeTypeName, RW, WR, WW } from "../../checkers/list-append/graph.js";
import { checkListAppend } from "../../checkers/list-append/index.js";
import { indexAppends, observe } from "../../checkers/list-append/observations.js";
import { collectTxns } from "../../checkers/list-append/txns.js";
import { inferVersionOrders } from "../../checkers/list-append/version-order.js";
import { TxnHistory } from "./list-append-fixtures.js";

/**
 * Elle's inference rules for list-append (Kingsbury & Alvaro, "Elle: Inferring Isolation Anomalies from Experimental
 * Observations", VLDB 2020), one test per rule: the version order of a key, then the ww, wr and rw edges it gives.
 * Transactions are named T1, T2, … in the order they were invoked; each test lists the whole data-dependency graph.
 */

/** Every ww / wr / rw edge of the history's dependency graph, as "T1 -ww-> T2", sorted. */
function edges(h: TxnHistory): string[] {
  const set = collectTxns(h.ops);
  if ("error" in set) throw new Error(set.error);
  const idx = indexAppends(set.txns);
  if ("error" in idx) throw new Error(idx.error);
  const findings = new Findings(8);
  const obs = observe(set.txns, idx.keys, idx.byKey, findings);
  inferVersionOrders(obs.keys, obs.txns, findings);
  const g = buildGraph(obs, set, WW | WR | RW);
  const out: string[] = [];
  for (let v = 0; v < g.n; v++) {
    for (let e = g.offsets[v]; e < g.offsets[v + 1]; e++) {
      out.push(`T${v + 1} -${edgeTypeName(g.kinds[e])}-> T${g.targets[e] + 1}`);
    }
  }
  return [...new Set(out)].sort();
}

/** The example of Elle's paper (section "Inferring dependencies"; Elle's `histories/paper-example.edn`), as EDN. */
const PAPER_EXAMPLE = `
{:index 0 :type :invoke :value [[:append 253 1] [:append 253 3] [:append 253 4] [:append 255 2] [:append 255 3] [:append 255 4] [:append 255 5] [:append 256 1] [:append 256 2]]}
{:index 1 :type :ok     :value [[:append 253 1] [:append 253 3] [:append 253 4] [:append 255 2] [:append 255 3] [:append 255 4] [:append 255 5] [:append 256 1] [:append 256 2]]}
{:index 2 :type :invoke :value [[:append 255 8] [:r 253 nil]]}
{:index 3 :type :ok     :value [[:append 255 8] [:r 253 [1 3 4]]]}
{:index 4 :type :invoke :value [[:append 256 4] [:r 255 nil] [:r 256 nil] [:r 253 nil]]}
{:index 5 :type :ok     :value [[:append 256 4] [:r 255 [2 3 4 5 8]] [:r 256 [1 2 4]] [:r 253 [1 3 4]]]}
{:index 6 :type :invoke :value [[:append 250 10] [:r 253 nil] [:r 255 nil] [:append 256 3]]}
{:index 7 :type :ok     :value [[:append 250 10] [:r 253 [1 3 4]] [:r 255 [2 3 4 5]] [:append 256 3]]}
`;

describe("list-append inference (Elle's rules)", () => {
  describe("version order", () => {
    it("rule version-order/longest-read: the longest read orders the key and shorter reads are its prefixes", () => {
      const h = new TxnHistory()
        .txn(0, [["append", "x", 1]])
        .txn(0, [["append", "x", 2]])
        .txn(0, [["append", "x", 3]])
        .txn(1, [["r", "x", [1]]])
        .txn(1, [["r", "x", [1, 2, 3]]]);
      expect(edges(h)).toEqual([
        "T1 -wr-> T4",
        "T1 -ww-> T2",
        "T2 -ww-> T3",
        "T3 -wr-> T5",
        "T4 -rw-> T2", // T4 read [1], the element after it is T2's 2
      ]);
    });

    it("rule version-order/own-appends: a transaction's read of its own append places that append", () => {
      // Nobody else reads x: T2's own read [1, 2] is the only source of the order, and it puts 2 after T1's 1.
      const h = new TxnHistory().txn(0, [["append", "x", 1]]).txn(1, [
        ["append", "x", 2],
        ["r", "x", [1, 2]],
      ]);
      expect(edges(h)).toEqual(["T1 -ww-> T2"]);
    });

    it("rule version-order/disagreeing-reads: reads that are not prefixes of one another give no order, hence no ww or rw edge", () => {
      const h = new TxnHistory()
        .txn(0, [["append", "x", 1]])
        .txn(1, [["append", "x", 2]])
        .txn(2, [["r", "x", [1]]])
        .txn(3, [["r", "x", [2]]]);
      // What each read shows is still a fact: wr edges remain.
      expect(edges(h)).toEqual(["T1 -wr-> T3", "T2 -wr-> T4"]);
      expect(checkListAppend(h.ops).anomalyTypes).toEqual(["incompatible-order"]);
    });
  });

  describe("ww", () => {
    it("rule ww/adjacent: the element right before an append in the version order belongs to the earlier transaction", () => {
      const h = new TxnHistory()
        .txn(0, [["append", "x", 1]])
        .txn(1, [
          ["append", "x", 2],
          ["append", "x", 3],
        ])
        .txn(0, [["append", "x", 4]])
        .txn(2, [["r", "x", [1, 2, 3, 4]]]);
      // T2's two appends in a row give one edge in, one edge out, and none to itself.
      expect(edges(h)).toEqual(["T1 -ww-> T2", "T2 -ww-> T3", "T3 -wr-> T4"]);
    });

    it("rule ww/unread-append: an append no read shows comes after the last element reads show", () => {
      // Elle's own test of this rule: x shows 1 then 2, y shows only 2, so y's 1 (and 3, of either key) came after 2.
      const h = new TxnHistory()
        .invoke(0, [
          ["append", "x", 1],
          ["append", "y", 1],
        ])
        .invoke(1, [
          ["append", "x", 2],
          ["append", "y", 2],
        ])
        .invoke(2, [
          ["append", "x", 3],
          ["append", "y", 3],
        ])
        .invoke(3, [["r", "x", [1, 2]]])
        .invoke(4, [["r", "y", [2]]])
        .ok(0)
        .ok(1)
        .ok(2)
        .ok(3)
        .ok(4);
      expect(edges(h)).toEqual([
        "T1 -ww-> T2", // x: 2 right after 1
        "T2 -wr-> T4",
        "T2 -wr-> T5",
        "T2 -ww-> T1", // y: 1 unread, so after 2
        "T2 -ww-> T3", // x and y: 3 unread, so after 2
        "T4 -rw-> T3", // T4 read all of x, without 3
        "T5 -rw-> T1", // T5 read all of y, without 1 and 3
        "T5 -rw-> T3",
      ]);
      const r = checkListAppend(h.ops, { model: "serializable" });
      expect(r.anomalyTypes).toEqual(["G0", "G-single"]);
    });

    it("rule ww/unread-append: no ww edge when no read shows any element of the key", () => {
      const h = new TxnHistory()
        .txn(0, [["r", "x", []]])
        .txn(1, [["append", "x", 1]])
        .txn(2, [["append", "x", 2]]);
      // Both came after the empty list, in an order nothing tells.
      expect(edges(h)).toEqual(["T1 -rw-> T2", "T1 -rw-> T3"]);
    });

    it("rule ww/aborted: an aborted transaction's append gives no edge, in or out", () => {
      const h = new TxnHistory()
        .txn(0, [["append", "x", 1]])
        .invoke(1, [["append", "x", 2]])
        .fail(1)
        .txn(2, [["append", "x", 3]])
        .txn(3, [["r", "x", [1, 2, 3]]]);
      expect(edges(h)).toEqual(["T3 -wr-> T4"]);
      expect(checkListAppend(h.ops).anomalyTypes).toEqual(["G1a", "dirty-update"]);
    });
  });

  describe("wr", () => {
    it("rule wr/last-element: a read depends on the writer of its last element only", () => {
      const h = new TxnHistory()
        .txn(0, [["append", "x", 1]])
        .txn(0, [["append", "x", 2]])
        .txn(1, [["r", "x", [1, 2]]]);
      expect(edges(h)).toEqual(["T1 -ww-> T2", "T2 -wr-> T3"]);
    });

    it("rule wr/own-append: a read ending in the reader's own append gives no wr edge", () => {
      const h = new TxnHistory().txn(0, [["append", "x", 1]]).txn(1, [
        ["r", "x", [1]],
        ["append", "x", 2],
        ["r", "x", [1, 2]],
      ]);
      // The first read gives wr; the second ends in T2's own 2: no second edge, and none from T2 to itself.
      expect(edges(h)).toEqual(["T1 -wr-> T2", "T1 -ww-> T2"]);
    });

    it("rule wr/aborted: reading an aborted transaction's element gives no wr edge (it is G1a)", () => {
      const h = new TxnHistory()
        .invoke(0, [["append", "x", 1]])
        .fail(0)
        .txn(1, [["r", "x", [1]]]);
      expect(edges(h)).toEqual([]);
      expect(checkListAppend(h.ops).anomalyTypes).toEqual(["G1a"]);
    });
  });

  describe("rw", () => {
    it("rule rw/next-append: a read precedes the writer of the element right after the list it read", () => {
      // Elle's "read empty, append, read".
      const h = new TxnHistory()
        .txn(0, [["r", "x", []]])
        .txn(1, [["append", "x", 1]])
        .txn(2, [["r", "x", [1]]]);
      expect(edges(h)).toEqual(["T1 -rw-> T2", "T2 -wr-> T3"]);
    });

    it("rule rw/unread-append: a read of the whole order precedes every append no read shows", () => {
      const h = new TxnHistory()
        .txn(0, [["append", "x", 1]])
        .txn(1, [["r", "x", [1]]])
        .txn(2, [["append", "x", 2]])
        .txn(3, [["append", "x", 3]]);
      expect(edges(h)).toEqual(["T1 -wr-> T2", "T1 -ww-> T3", "T1 -ww-> T4", "T2 -rw-> T3", "T2 -rw-> T4"]);
    });

    it("rule rw/own-append: a read ending in the reader's own append precedes the next append, beside the ww edge", () => {
      const h = new TxnHistory()
        .txn(0, [
          ["append", "x", 1],
          ["r", "x", [1]],
        ])
        .txn(1, [["append", "x", 2]])
        .txn(2, [["r", "x", [1, 2]]]);
      expect(edges(h)).toEqual(["T1 -rw-> T2", "T1 -ww-> T2", "T2 -wr-> T3"]);
    });

    it("rule rw/intermediate-read: a read ending in an intermediate append precedes that writer's next append (G1b and G-single)", () => {
      const h = new TxnHistory()
        .txn(0, [
          ["append", "x", 1],
          ["append", "x", 2],
        ])
        .txn(1, [["r", "x", [1]]])
        .txn(2, [["r", "x", [1, 2]]]);
      expect(edges(h)).toEqual(["T1 -wr-> T2", "T1 -wr-> T3", "T2 -rw-> T1"]);
      expect(checkListAppend(h.ops).anomalyTypes).toEqual(["G1b", "G-single"]);
    });

    it("rule rw/info-append: an info transaction's append no read shows counts once reads show its other append", () => {
      const h = new TxnHistory()
        .invoke(0, [
          ["append", "x", 1],
          ["append", "y", 1],
        ])
        .info(0)
        .txn(1, [
          ["r", "x", [1]],
          ["r", "y", []],
        ]);
      // T1's x append was read, so T1 took effect; its y append is not in T2's read of all of y.
      expect(edges(h)).toEqual(["T1 -wr-> T2", "T2 -rw-> T1"]);
      const r = checkListAppend(h.ops);
      expect(r.anomalyTypes).toEqual(["G-single"]);
      expect(r.anomalies?.[0].explanation).toContain(
        'T2 < T1 because T2 read key "y" as [], without 1, which T1 appended (its outcome is unknown, but reads ' +
          "show its other appends), though no read ever shows it (rw)",
      );
    });
  });

  describe("the write-write case of Elle's paper", () => {
    it("rule ww/unread-append after an own read-back: the paper's example is G-single, invalid under snapshot-isolation", () => {
      const r = checkListAppend(fromJepsenEdn(PAPER_EXAMPLE), { model: "snapshot-isolation" });
      expect(r.valid).toBe(false);
      expect(r.anomalyTypes).toEqual(["G-single"]);
      expect(r.anomalies?.[0].explanation).toBe(
        [
          "G-single: a cycle with exactly one anti-dependency (rw), among 3 transactions:",
          "T1 (op 3, process 0, ok: append 255 8; r 253 → [1, 3, 4])",
          "T2 (op 5, process 0, ok: append 256 4; r 255 → [2, 3, 4, 5, 8]; r 256 → [1, 2, 4]; r 253 → [1, 3, 4])",
          "T3 (op 7, process 0, ok: append 250 10; r 253 → [1, 3, 4]; r 255 → [2, 3, 4, 5]; append 256 3)",
          "T1 < T2 because T2 read T1's append of 8 to key 255 (it read [2, 3, 4, 5, 8]) (wr);",
          "T2 < T3 because T3 appended 3 to key 256, which no read shows: it came after every element reads show, " +
            "the last of which is T2's append of 4 (ww);",
          "T3 < T1 because T3 read key 255 as [2, 3, 4, 5], without 8, which T1 appended next (rw).",
          "So T1 would have to precede itself: no order of these transactions explains what they observed. " +
            "Rules out: repeatable-read, snapshot-isolation, serializable, strict-serializable.",
        ].join("\n"),
      );
    });
  });
});
