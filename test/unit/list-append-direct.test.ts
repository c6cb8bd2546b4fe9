import { describe, expect, it } from "vitest";
import { checkListAppend } from "../../checkers/list-append/index.js";
import { histories } from "./list-append-fixtures.js";

// Whole results, explanations included: each one was read and checked by hand against the history it explains.
describe("checkListAppend", () => {
  describe("anomalies seen in the lists", () => {
    it("should report G1a naming the aborted writer when a committed read includes a failed transaction's append", () => {
      expect(checkListAppend(histories.G1a().ops)).toEqual({
        valid: false,
        anomalies: [
          {
            explanation:
              'T1 (op 3, process 1, ok: r "x" → [1]) read key "x" as [1], which includes 1, appended by T2 (op 1, process 0, fail: append "x" 1), a transaction that failed (aborted): an aborted read. Rules out: read-committed, repeatable-read, snapshot-isolation, serializable, strict-serializable.',
            ops: [3, 1],
            key: "x",
            element: 1,
            txns: [
              {
                name: "T1",
                index: 3,
                invokeIndex: 2,
                process: 1,
                outcome: "ok",
                mops: [["r", "x", [1]]],
              },
              {
                name: "T2",
                index: 1,
                invokeIndex: 0,
                process: 0,
                outcome: "fail",
                mops: [["append", "x", 1]],
              },
            ],
            kind: "G1a",
            rulesOut: [
              "read-committed",
              "repeatable-read",
              "snapshot-isolation",
              "serializable",
              "strict-serializable",
            ],
          },
        ],
        anomalyTypes: ["G1a"],
        counts: {
          G1a: 1,
        },
        allowed: [],
        rulesOut: [
          "read-committed",
          "repeatable-read",
          "snapshot-isolation",
          "serializable",
          "strict-serializable",
        ],
        txns: {
          ok: 1,
          fail: 1,
          info: 0,
        },
        incomplete: [],
      });
    });
    it("should report G1b, and the G-single its unread later append closes (as Elle does), when a read ends in an append its transaction followed with another", () => {
      expect(checkListAppend(histories.G1b().ops)).toEqual({
        valid: false,
        anomalies: [
          {
            explanation:
              'T1 (op 3, process 1, ok: r "x" → [1]) read key "x" as [1], a state ending in 1, which T2 (op 1, process 0, ok: append "x" 1; append "x" 2) appended and then followed with 2 in the same transaction: T1 saw T2\'s intermediate state. Rules out: read-committed, repeatable-read, snapshot-isolation, serializable, strict-serializable.',
            ops: [3, 1],
            key: "x",
            element: 1,
            txns: [
              {
                name: "T1",
                index: 3,
                invokeIndex: 2,
                process: 1,
                outcome: "ok",
                mops: [["r", "x", [1]]],
              },
              {
                name: "T2",
                index: 1,
                invokeIndex: 0,
                process: 0,
                outcome: "ok",
                mops: [
                  ["append", "x", 1],
                  ["append", "x", 2],
                ],
              },
            ],
            kind: "G1b",
            rulesOut: [
              "read-committed",
              "repeatable-read",
              "snapshot-isolation",
              "serializable",
              "strict-serializable",
            ],
          },
          {
            kind: "G-single",
            explanation:
              'G-single: a cycle with exactly one anti-dependency (rw), among 2 transactions:\nT1 (op 1, process 0, ok: append "x" 1; append "x" 2)\nT2 (op 3, process 1, ok: r "x" → [1])\nT1 < T2 because T2 read T1\'s append of 1 to key "x" (it read [1]) (wr);\nT2 < T1 because T2 read key "x" as [1], without 2, which T1 appended and committed, though no read ever shows it (rw).\nSo T1 would have to precede itself: no order of these transactions explains what they observed. Rules out: repeatable-read, snapshot-isolation, serializable, strict-serializable.',
            ops: [1, 3],
            cycle: [
              {
                name: "T1",
                index: 1,
                invokeIndex: 0,
                process: 0,
                outcome: "ok",
                mops: [
                  ["append", "x", 1],
                  ["append", "x", 2],
                ],
              },
              {
                name: "T2",
                index: 3,
                invokeIndex: 2,
                process: 1,
                outcome: "ok",
                mops: [["r", "x", [1]]],
              },
            ],
            steps: [
              {
                from: "T1",
                to: "T2",
                type: "wr",
                explanation: 'T1 < T2 because T2 read T1\'s append of 1 to key "x" (it read [1]) (wr)',
              },
              {
                from: "T2",
                to: "T1",
                type: "rw",
                explanation:
                  'T2 < T1 because T2 read key "x" as [1], without 2, which T1 appended and committed, though no read ever shows it (rw)',
              },
            ],
            rulesOut: ["repeatable-read", "snapshot-isolation", "serializable", "strict-serializable"],
          },
        ],
        anomalyTypes: ["G1b", "G-single"],
        counts: {
          G1b: 1,
          "G-single": 1,
        },
        allowed: [],
        rulesOut: [
          "read-committed",
          "repeatable-read",
          "snapshot-isolation",
          "serializable",
          "strict-serializable",
        ],
        txns: {
          ok: 2,
          fail: 0,
          info: 0,
        },
        incomplete: [],
      });
    });
    it("should report dirty-update and G1a when a committed append follows a failed one in the version order", () => {
      expect(checkListAppend(histories.dirtyUpdate().ops)).toEqual({
        valid: false,
        anomalies: [
          {
            explanation:
              'T1 (op 5, process 2, ok: r "x" → [1, 2]) read key "x" as [1, 2], which includes 1, appended by T2 (op 1, process 0, fail: append "x" 1), a transaction that failed (aborted): an aborted read. Rules out: read-committed, repeatable-read, snapshot-isolation, serializable, strict-serializable.',
            ops: [5, 1],
            key: "x",
            element: 1,
            txns: [
              {
                name: "T1",
                index: 5,
                invokeIndex: 4,
                process: 2,
                outcome: "ok",
                mops: [["r", "x", [1, 2]]],
              },
              {
                name: "T2",
                index: 1,
                invokeIndex: 0,
                process: 0,
                outcome: "fail",
                mops: [["append", "x", 1]],
              },
            ],
            kind: "G1a",
            rulesOut: [
              "read-committed",
              "repeatable-read",
              "snapshot-isolation",
              "serializable",
              "strict-serializable",
            ],
          },
          {
            explanation:
              'In key "x"\'s version order [1, 2], 2, appended by T1 (op 3, process 1, ok: append "x" 2), comes after 1, appended by T2 (op 1, process 0, fail: append "x" 1), which failed: a committed append built on an aborted one. Rules out: read-committed, repeatable-read, snapshot-isolation, serializable, strict-serializable.',
            ops: [3, 1],
            key: "x",
            element: 2,
            abortedElement: 1,
            txns: [
              {
                name: "T1",
                index: 3,
                invokeIndex: 2,
                process: 1,
                outcome: "ok",
                mops: [["append", "x", 2]],
              },
              {
                name: "T2",
                index: 1,
                invokeIndex: 0,
                process: 0,
                outcome: "fail",
                mops: [["append", "x", 1]],
              },
            ],
            kind: "dirty-update",
            rulesOut: [
              "read-committed",
              "repeatable-read",
              "snapshot-isolation",
              "serializable",
              "strict-serializable",
            ],
          },
        ],
        anomalyTypes: ["G1a", "dirty-update"],
        counts: {
          G1a: 1,
          "dirty-update": 1,
        },
        allowed: [],
        rulesOut: [
          "read-committed",
          "repeatable-read",
          "snapshot-isolation",
          "serializable",
          "strict-serializable",
        ],
        txns: {
          ok: 2,
          fail: 1,
          info: 0,
        },
        incomplete: [],
      });
    });
    it("should report lost-update and the G2-item it forms when two transactions read the same state and both append", () => {
      expect(checkListAppend(histories.lostUpdate().ops)).toEqual({
        valid: false,
        anomalies: [
          {
            explanation:
              'T1 (op 2, process 0, ok: r "x" → []; append "x" 1) and T2 (op 3, process 1, ok: r "x" → []; append "x" 2) both read key "x" as [] and then appended to it (T1 appended 1; T2 appended 2): whichever committed later did not see the other\'s append, so an update was lost. Rules out: repeatable-read, snapshot-isolation, serializable, strict-serializable.',
            ops: [2, 3],
            key: "x",
            read: [],
            txns: [
              {
                name: "T1",
                index: 2,
                invokeIndex: 0,
                process: 0,
                outcome: "ok",
                mops: [
                  ["r", "x", []],
                  ["append", "x", 1],
                ],
              },
              {
                name: "T2",
                index: 3,
                invokeIndex: 1,
                process: 1,
                outcome: "ok",
                mops: [
                  ["r", "x", []],
                  ["append", "x", 2],
                ],
              },
            ],
            kind: "lost-update",
            rulesOut: ["repeatable-read", "snapshot-isolation", "serializable", "strict-serializable"],
          },
          {
            kind: "G2-item",
            explanation:
              'G2-item: a cycle with 2 anti-dependencies (rw), two of them adjacent, among 2 transactions:\nT1 (op 2, process 0, ok: r "x" → []; append "x" 1)\nT2 (op 3, process 1, ok: r "x" → []; append "x" 2)\nT1 < T2 because T1 read key "x" as [], without 2, which T2 appended and committed, though no read ever shows it (rw);\nT2 < T1 because T2 read key "x" as [], without 1, which T1 appended and committed, though no read ever shows it (rw).\nSo T1 would have to precede itself: no order of these transactions explains what they observed. Rules out: repeatable-read, serializable, strict-serializable.',
            ops: [2, 3],
            cycle: [
              {
                name: "T1",
                index: 2,
                invokeIndex: 0,
                process: 0,
                outcome: "ok",
                mops: [
                  ["r", "x", []],
                  ["append", "x", 1],
                ],
              },
              {
                name: "T2",
                index: 3,
                invokeIndex: 1,
                process: 1,
                outcome: "ok",
                mops: [
                  ["r", "x", []],
                  ["append", "x", 2],
                ],
              },
            ],
            steps: [
              {
                from: "T1",
                to: "T2",
                type: "rw",
                explanation:
                  'T1 < T2 because T1 read key "x" as [], without 2, which T2 appended and committed, though no read ever shows it (rw)',
              },
              {
                from: "T2",
                to: "T1",
                type: "rw",
                explanation:
                  'T2 < T1 because T2 read key "x" as [], without 1, which T1 appended and committed, though no read ever shows it (rw)',
              },
            ],
            rulesOut: ["repeatable-read", "serializable", "strict-serializable"],
          },
        ],
        anomalyTypes: ["lost-update", "G2-item"],
        counts: {
          "lost-update": 1,
          "G2-item": 1,
        },
        allowed: [],
        rulesOut: ["repeatable-read", "snapshot-isolation", "serializable", "strict-serializable"],
        txns: {
          ok: 2,
          fail: 0,
          info: 0,
        },
        incomplete: [],
      });
    });
    it("should report incompatible-order when two reads of a key are not prefixes of one another", () => {
      expect(checkListAppend(histories.incompatibleOrder().ops)).toEqual({
        valid: false,
        anomalies: [
          {
            explanation:
              'T1 (op 7, process 3, ok: r "x" → [2]) read key "x" as [2] and T2 (op 5, process 2, ok: r "x" → [1]) read it as [1]: neither is a prefix of the other, so the two reads cannot come from one list that only grows at the end. Rules out: read-committed, repeatable-read, snapshot-isolation, serializable, strict-serializable.',
            ops: [7, 5],
            key: "x",
            reads: [[2], [1]],
            txns: [
              {
                name: "T1",
                index: 7,
                invokeIndex: 6,
                process: 3,
                outcome: "ok",
                mops: [["r", "x", [2]]],
              },
              {
                name: "T2",
                index: 5,
                invokeIndex: 4,
                process: 2,
                outcome: "ok",
                mops: [["r", "x", [1]]],
              },
            ],
            kind: "incompatible-order",
            rulesOut: [
              "read-committed",
              "repeatable-read",
              "snapshot-isolation",
              "serializable",
              "strict-serializable",
            ],
          },
        ],
        anomalyTypes: ["incompatible-order"],
        counts: {
          "incompatible-order": 1,
        },
        allowed: [],
        rulesOut: [
          "read-committed",
          "repeatable-read",
          "snapshot-isolation",
          "serializable",
          "strict-serializable",
        ],
        txns: {
          ok: 4,
          fail: 0,
          info: 0,
        },
        incomplete: [],
      });
    });
    it("should report duplicate-elements when a read holds an element twice", () => {
      expect(checkListAppend(histories.duplicate().ops)).toEqual({
        valid: false,
        anomalies: [
          {
            explanation:
              'T1 (op 3, process 1, ok: r "x" → [1, 1]) read key "x" as [1, 1], in which 1 appears more than once, though it was appended at most once. Rules out: read-uncommitted, read-committed, repeatable-read, snapshot-isolation, serializable, strict-serializable.',
            ops: [3],
            key: "x",
            element: 1,
            read: [1, 1],
            txns: [
              {
                name: "T1",
                index: 3,
                invokeIndex: 2,
                process: 1,
                outcome: "ok",
                mops: [["r", "x", [1, 1]]],
              },
            ],
            kind: "duplicate-elements",
            rulesOut: [
              "read-uncommitted",
              "read-committed",
              "repeatable-read",
              "snapshot-isolation",
              "serializable",
              "strict-serializable",
            ],
          },
        ],
        anomalyTypes: ["duplicate-elements"],
        counts: {
          "duplicate-elements": 1,
        },
        allowed: [],
        rulesOut: [
          "read-uncommitted",
          "read-committed",
          "repeatable-read",
          "snapshot-isolation",
          "serializable",
          "strict-serializable",
        ],
        txns: {
          ok: 2,
          fail: 0,
          info: 0,
        },
        incomplete: [],
      });
    });
    it("should report unexpected-element when a read holds an element nobody appended", () => {
      expect(checkListAppend(histories.unexpected().ops)).toEqual({
        valid: false,
        anomalies: [
          {
            explanation:
              'T1 (op 1, process 0, ok: r "x" → [9]) read key "x" as [9], which includes 9, but no transaction appended it to that key. Rules out: read-uncommitted, read-committed, repeatable-read, snapshot-isolation, serializable, strict-serializable.',
            ops: [1],
            key: "x",
            element: 9,
            txns: [
              {
                name: "T1",
                index: 1,
                invokeIndex: 0,
                process: 0,
                outcome: "ok",
                mops: [["r", "x", [9]]],
              },
            ],
            kind: "unexpected-element",
            rulesOut: [
              "read-uncommitted",
              "read-committed",
              "repeatable-read",
              "snapshot-isolation",
              "serializable",
              "strict-serializable",
            ],
          },
        ],
        anomalyTypes: ["unexpected-element"],
        counts: {
          "unexpected-element": 1,
        },
        allowed: [],
        rulesOut: [
          "read-uncommitted",
          "read-committed",
          "repeatable-read",
          "snapshot-isolation",
          "serializable",
          "strict-serializable",
        ],
        txns: {
          ok: 1,
          fail: 0,
          info: 0,
        },
        incomplete: [],
      });
    });
    it("should report internal when a read disagrees with the transaction's own earlier read and append", () => {
      expect(checkListAppend(histories.internal().ops)).toEqual({
        valid: false,
        anomalies: [
          {
            explanation:
              'T1 (op 1, process 0, ok: r "x" → []; append "x" 1; r "x" → []) read key "x" as [], but its own earlier reads and appends say it should be [1]. Rules out: snapshot-isolation, serializable, strict-serializable.',
            ops: [1],
            key: "x",
            read: [],
            expected: [1],
            ownAppends: [1],
            txns: [
              {
                name: "T1",
                index: 1,
                invokeIndex: 0,
                process: 0,
                outcome: "ok",
                mops: [
                  ["r", "x", []],
                  ["append", "x", 1],
                  ["r", "x", []],
                ],
              },
            ],
            kind: "internal",
            rulesOut: ["snapshot-isolation", "serializable", "strict-serializable"],
          },
        ],
        anomalyTypes: ["internal"],
        counts: {
          internal: 1,
        },
        allowed: [],
        rulesOut: ["snapshot-isolation", "serializable", "strict-serializable"],
        txns: {
          ok: 1,
          fail: 0,
          info: 0,
        },
        incomplete: [],
      });
    });
    it("should report future-read when a transaction reads its own later append", () => {
      expect(checkListAppend(histories.futureRead().ops)).toEqual({
        valid: false,
        anomalies: [
          {
            explanation:
              'T1 (op 1, process 0, ok: r "x" → [1]; append "x" 1) read key "x" as [1], which includes 1, an element T1 itself appends only later in the same transaction. Rules out: read-committed, repeatable-read, snapshot-isolation, serializable, strict-serializable.',
            ops: [1],
            key: "x",
            element: 1,
            txns: [
              {
                name: "T1",
                index: 1,
                invokeIndex: 0,
                process: 0,
                outcome: "ok",
                mops: [
                  ["r", "x", [1]],
                  ["append", "x", 1],
                ],
              },
            ],
            kind: "future-read",
            rulesOut: [
              "read-committed",
              "repeatable-read",
              "snapshot-isolation",
              "serializable",
              "strict-serializable",
            ],
          },
        ],
        anomalyTypes: ["future-read"],
        counts: {
          "future-read": 1,
        },
        allowed: [],
        rulesOut: [
          "read-committed",
          "repeatable-read",
          "snapshot-isolation",
          "serializable",
          "strict-serializable",
        ],
        txns: {
          ok: 1,
          fail: 0,
          info: 0,
        },
        incomplete: [],
      });
    });
  });
});
