import { describe, expect, it } from "vitest";
import { checkListAppend } from "../../checkers/list-append/index.js";
import { histories } from "./list-append-fixtures.js";

// Whole results, explanations included: each one was read and checked by hand against the history it explains.
describe("checkListAppend", () => {
  describe("dependency cycles", () => {
    it("should explain a G0 write cycle when two keys order two transactions both ways", () => {
      expect(checkListAppend(histories.G0().ops)).toEqual({
        valid: false,
        anomalies: [
          {
            kind: "G0",
            explanation:
              'G0: a cycle of write-write dependencies (ww) alone, among 2 transactions:\nT1 (op 2, process 0, ok: append "x" 1; append "y" 2)\nT2 (op 3, process 1, ok: append "x" 3; append "y" 4)\nT1 < T2 because T2 appended 3 to key "x" right after T1\'s append of 1 (ww);\nT2 < T1 because T1 appended 2 to key "y" right after T2\'s append of 4 (ww).\nSo T1 would have to precede itself: no order of these transactions explains what they observed. Rules out: read-uncommitted, read-committed, repeatable-read, snapshot-isolation, serializable, strict-serializable.',
            ops: [2, 3],
            cycle: [
              {
                name: "T1",
                index: 2,
                invokeIndex: 0,
                process: 0,
                outcome: "ok",
                mops: [
                  ["append", "x", 1],
                  ["append", "y", 2],
                ],
              },
              {
                name: "T2",
                index: 3,
                invokeIndex: 1,
                process: 1,
                outcome: "ok",
                mops: [
                  ["append", "x", 3],
                  ["append", "y", 4],
                ],
              },
            ],
            steps: [
              {
                from: "T1",
                to: "T2",
                type: "ww",
                explanation: 'T1 < T2 because T2 appended 3 to key "x" right after T1\'s append of 1 (ww)',
              },
              {
                from: "T2",
                to: "T1",
                type: "ww",
                explanation: 'T2 < T1 because T1 appended 2 to key "y" right after T2\'s append of 4 (ww)',
              },
            ],
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
        anomalyTypes: ["G0"],
        counts: {
          G0: 1,
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
          ok: 3,
          fail: 0,
          info: 0,
        },
        incomplete: [],
      });
    });
    it("should explain a G1c cycle when two transactions read each other's appends", () => {
      expect(checkListAppend(histories.G1c().ops)).toEqual({
        valid: false,
        anomalies: [
          {
            kind: "G1c",
            explanation:
              'G1c: a cycle of write-write and write-read dependencies (ww, wr): circular information flow, among 2 transactions:\nT1 (op 2, process 0, ok: append "x" 1; r "y" → [2])\nT2 (op 3, process 1, ok: append "y" 2; r "x" → [1])\nT1 < T2 because T2 read T1\'s append of 1 to key "x" (it read [1]) (wr);\nT2 < T1 because T1 read T2\'s append of 2 to key "y" (it read [2]) (wr).\nSo T1 would have to precede itself: no order of these transactions explains what they observed. Rules out: read-committed, repeatable-read, snapshot-isolation, serializable, strict-serializable.',
            ops: [2, 3],
            cycle: [
              {
                name: "T1",
                index: 2,
                invokeIndex: 0,
                process: 0,
                outcome: "ok",
                mops: [
                  ["append", "x", 1],
                  ["r", "y", [2]],
                ],
              },
              {
                name: "T2",
                index: 3,
                invokeIndex: 1,
                process: 1,
                outcome: "ok",
                mops: [
                  ["append", "y", 2],
                  ["r", "x", [1]],
                ],
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
                type: "wr",
                explanation: 'T2 < T1 because T1 read T2\'s append of 2 to key "y" (it read [2]) (wr)',
              },
            ],
            rulesOut: [
              "read-committed",
              "repeatable-read",
              "snapshot-isolation",
              "serializable",
              "strict-serializable",
            ],
          },
        ],
        anomalyTypes: ["G1c"],
        counts: {
          G1c: 1,
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
    it("should explain a G-single read skew when a transaction sees one of another's appends but not the other", () => {
      expect(checkListAppend(histories.GSingle().ops)).toEqual({
        valid: false,
        anomalies: [
          {
            kind: "G-single",
            explanation:
              'G-single: a cycle with exactly one anti-dependency (rw), among 2 transactions:\nT1 (op 2, process 0, ok: append "x" 1; append "y" 1)\nT2 (op 3, process 1, ok: r "x" → []; r "y" → [1])\nT1 < T2 because T2 read T1\'s append of 1 to key "y" (it read [1]) (wr);\nT2 < T1 because T2 read key "x" as [], without 1, which T1 appended next (rw).\nSo T1 would have to precede itself: no order of these transactions explains what they observed. Rules out: repeatable-read, snapshot-isolation, serializable, strict-serializable.',
            ops: [2, 3],
            cycle: [
              {
                name: "T1",
                index: 2,
                invokeIndex: 0,
                process: 0,
                outcome: "ok",
                mops: [
                  ["append", "x", 1],
                  ["append", "y", 1],
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
                  ["r", "y", [1]],
                ],
              },
            ],
            steps: [
              {
                from: "T1",
                to: "T2",
                type: "wr",
                explanation: 'T1 < T2 because T2 read T1\'s append of 1 to key "y" (it read [1]) (wr)',
              },
              {
                from: "T2",
                to: "T1",
                type: "rw",
                explanation: 'T2 < T1 because T2 read key "x" as [], without 1, which T1 appended next (rw)',
              },
            ],
            rulesOut: ["repeatable-read", "snapshot-isolation", "serializable", "strict-serializable"],
          },
        ],
        anomalyTypes: ["G-single"],
        counts: {
          "G-single": 1,
        },
        allowed: [],
        rulesOut: ["repeatable-read", "snapshot-isolation", "serializable", "strict-serializable"],
        txns: {
          ok: 3,
          fail: 0,
          info: 0,
        },
        incomplete: [],
      });
    });
    it("should explain a G2-item write skew when each transaction misses the other's append", () => {
      expect(checkListAppend(histories.G2Item().ops)).toEqual({
        valid: false,
        anomalies: [
          {
            kind: "G2-item",
            explanation:
              'G2-item: a cycle with 2 anti-dependencies (rw), two of them adjacent, among 2 transactions:\nT1 (op 2, process 0, ok: r "x" → []; append "y" 1)\nT2 (op 3, process 1, ok: r "y" → []; append "x" 2)\nT1 < T2 because T1 read key "x" as [], without 2, which T2 appended next (rw);\nT2 < T1 because T2 read key "y" as [], without 1, which T1 appended next (rw).\nSo T1 would have to precede itself: no order of these transactions explains what they observed. Rules out: repeatable-read, serializable, strict-serializable.',
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
                  ["append", "y", 1],
                ],
              },
              {
                name: "T2",
                index: 3,
                invokeIndex: 1,
                process: 1,
                outcome: "ok",
                mops: [
                  ["r", "y", []],
                  ["append", "x", 2],
                ],
              },
            ],
            steps: [
              {
                from: "T1",
                to: "T2",
                type: "rw",
                explanation: 'T1 < T2 because T1 read key "x" as [], without 2, which T2 appended next (rw)',
              },
              {
                from: "T2",
                to: "T1",
                type: "rw",
                explanation: 'T2 < T1 because T2 read key "y" as [], without 1, which T1 appended next (rw)',
              },
            ],
            rulesOut: ["repeatable-read", "serializable", "strict-serializable"],
          },
        ],
        anomalyTypes: ["G2-item"],
        counts: {
          "G2-item": 1,
        },
        allowed: [],
        rulesOut: ["repeatable-read", "serializable", "strict-serializable"],
        txns: {
          ok: 3,
          fail: 0,
          info: 0,
        },
        incomplete: [],
      });
    });
    it("should explain a G-nonadjacent cycle when its two anti-dependencies are separated by reads", () => {
      expect(checkListAppend(histories.GNonadjacent().ops)).toEqual({
        valid: false,
        anomalies: [
          {
            kind: "G-nonadjacent",
            explanation:
              'G-nonadjacent: a cycle with 2 anti-dependencies (rw), no two of them adjacent, among 4 transactions:\nT1 (op 4, process 0, ok: r "a" → []; r "d" → [4])\nT2 (op 5, process 1, ok: append "a" 1; append "b" 2)\nT3 (op 6, process 2, ok: r "b" → [2]; r "c" → [])\nT4 (op 7, process 3, ok: append "c" 3; append "d" 4)\nT1 < T2 because T1 read key "a" as [], without 1, which T2 appended next (rw);\nT2 < T3 because T3 read T2\'s append of 2 to key "b" (it read [2]) (wr);\nT3 < T4 because T3 read key "c" as [], without 3, which T4 appended next (rw);\nT4 < T1 because T1 read T4\'s append of 4 to key "d" (it read [4]) (wr).\nSo T1 would have to precede itself: no order of these transactions explains what they observed. Rules out: repeatable-read, snapshot-isolation, serializable, strict-serializable.',
            ops: [4, 5, 6, 7],
            cycle: [
              {
                name: "T1",
                index: 4,
                invokeIndex: 0,
                process: 0,
                outcome: "ok",
                mops: [
                  ["r", "a", []],
                  ["r", "d", [4]],
                ],
              },
              {
                name: "T2",
                index: 5,
                invokeIndex: 1,
                process: 1,
                outcome: "ok",
                mops: [
                  ["append", "a", 1],
                  ["append", "b", 2],
                ],
              },
              {
                name: "T3",
                index: 6,
                invokeIndex: 2,
                process: 2,
                outcome: "ok",
                mops: [
                  ["r", "b", [2]],
                  ["r", "c", []],
                ],
              },
              {
                name: "T4",
                index: 7,
                invokeIndex: 3,
                process: 3,
                outcome: "ok",
                mops: [
                  ["append", "c", 3],
                  ["append", "d", 4],
                ],
              },
            ],
            steps: [
              {
                from: "T1",
                to: "T2",
                type: "rw",
                explanation: 'T1 < T2 because T1 read key "a" as [], without 1, which T2 appended next (rw)',
              },
              {
                from: "T2",
                to: "T3",
                type: "wr",
                explanation: 'T2 < T3 because T3 read T2\'s append of 2 to key "b" (it read [2]) (wr)',
              },
              {
                from: "T3",
                to: "T4",
                type: "rw",
                explanation: 'T3 < T4 because T3 read key "c" as [], without 3, which T4 appended next (rw)',
              },
              {
                from: "T4",
                to: "T1",
                type: "wr",
                explanation: 'T4 < T1 because T1 read T4\'s append of 4 to key "d" (it read [4]) (wr)',
              },
            ],
            rulesOut: ["repeatable-read", "snapshot-isolation", "serializable", "strict-serializable"],
          },
        ],
        anomalyTypes: ["G-nonadjacent"],
        counts: {
          "G-nonadjacent": 1,
        },
        allowed: [],
        rulesOut: ["repeatable-read", "snapshot-isolation", "serializable", "strict-serializable"],
        txns: {
          ok: 5,
          fail: 0,
          info: 0,
        },
        incomplete: [],
      });
    });
    it("should report G-single-realtime when a read started after an append completed misses it", () => {
      expect(checkListAppend(histories.staleReadRealtime().ops)).toEqual({
        valid: false,
        anomalies: [
          {
            kind: "G-single-realtime",
            explanation:
              'G-single-realtime: a cycle with exactly one anti-dependency (rw), closed only by real-time order, among 2 transactions:\nT1 (op 1, process 0, ok: append "x" 1)\nT2 (op 3, process 1, ok: r "x" → [])\nT1 < T2 because T1 completed (op 1) before T2 was invoked (op 2) (realtime);\nT2 < T1 because T2 read key "x" as [], without 1, which T1 appended next (rw).\nSo T1 would have to precede itself: no order of these transactions explains what they observed. Rules out: strict-serializable.',
            ops: [1, 3],
            cycle: [
              {
                name: "T1",
                index: 1,
                invokeIndex: 0,
                process: 0,
                outcome: "ok",
                mops: [["append", "x", 1]],
              },
              {
                name: "T2",
                index: 3,
                invokeIndex: 2,
                process: 1,
                outcome: "ok",
                mops: [["r", "x", []]],
              },
            ],
            steps: [
              {
                from: "T1",
                to: "T2",
                type: "realtime",
                explanation: "T1 < T2 because T1 completed (op 1) before T2 was invoked (op 2) (realtime)",
              },
              {
                from: "T2",
                to: "T1",
                type: "rw",
                explanation: 'T2 < T1 because T2 read key "x" as [], without 1, which T1 appended next (rw)',
              },
            ],
            rulesOut: ["strict-serializable"],
          },
        ],
        anomalyTypes: ["G-single-realtime"],
        counts: {
          "G-single-realtime": 1,
        },
        allowed: [],
        rulesOut: ["strict-serializable"],
        txns: {
          ok: 3,
          fail: 0,
          info: 0,
        },
        incomplete: [],
      });
    });
    it("should report G-single-process when a process misses its own earlier append", () => {
      expect(checkListAppend(histories.staleReadProcess().ops)).toEqual({
        valid: false,
        anomalies: [
          {
            kind: "G-single-process",
            explanation:
              'G-single-process: a cycle with exactly one anti-dependency (rw), closed only by process order, among 2 transactions:\nT1 (op 1, process 0, ok: append "x" 1)\nT2 (op 3, process 0, ok: r "x" → [])\nT1 < T2 because process 0 ran T2 after T1 (process);\nT2 < T1 because T2 read key "x" as [], without 1, which T1 appended next (rw).\nSo T1 would have to precede itself: no order of these transactions explains what they observed. Rules out: strict-serializable.',
            ops: [1, 3],
            cycle: [
              {
                name: "T1",
                index: 1,
                invokeIndex: 0,
                process: 0,
                outcome: "ok",
                mops: [["append", "x", 1]],
              },
              {
                name: "T2",
                index: 3,
                invokeIndex: 2,
                process: 0,
                outcome: "ok",
                mops: [["r", "x", []]],
              },
            ],
            steps: [
              {
                from: "T1",
                to: "T2",
                type: "process",
                explanation: "T1 < T2 because process 0 ran T2 after T1 (process)",
              },
              {
                from: "T2",
                to: "T1",
                type: "rw",
                explanation: 'T2 < T1 because T2 read key "x" as [], without 1, which T1 appended next (rw)',
              },
            ],
            rulesOut: ["strict-serializable"],
          },
        ],
        anomalyTypes: ["G-single-process"],
        counts: {
          "G-single-process": 1,
        },
        allowed: [],
        rulesOut: ["strict-serializable"],
        txns: {
          ok: 3,
          fail: 0,
          info: 0,
        },
        incomplete: [],
      });
    });
    it("should report G1c-process when a process reads an element its next transaction appends", () => {
      expect(checkListAppend(histories.G1cProcess().ops)).toEqual({
        valid: false,
        anomalies: [
          {
            kind: "G1c-process",
            explanation:
              'G1c-process: a cycle of write-write and write-read dependencies (ww, wr): circular information flow, closed only by process order, among 2 transactions:\nT1 (op 1, process 0, ok: r "x" → [2])\nT2 (op 3, process 0, ok: append "x" 2)\nT1 < T2 because process 0 ran T2 after T1 (process);\nT2 < T1 because T1 read T2\'s append of 2 to key "x" (it read [2]) (wr).\nSo T1 would have to precede itself: no order of these transactions explains what they observed. Rules out: strict-serializable.',
            ops: [1, 3],
            cycle: [
              {
                name: "T1",
                index: 1,
                invokeIndex: 0,
                process: 0,
                outcome: "ok",
                mops: [["r", "x", [2]]],
              },
              {
                name: "T2",
                index: 3,
                invokeIndex: 2,
                process: 0,
                outcome: "ok",
                mops: [["append", "x", 2]],
              },
            ],
            steps: [
              {
                from: "T1",
                to: "T2",
                type: "process",
                explanation: "T1 < T2 because process 0 ran T2 after T1 (process)",
              },
              {
                from: "T2",
                to: "T1",
                type: "wr",
                explanation: 'T2 < T1 because T1 read T2\'s append of 2 to key "x" (it read [2]) (wr)',
              },
            ],
            rulesOut: ["strict-serializable"],
          },
        ],
        anomalyTypes: ["G1c-process"],
        counts: {
          "G1c-process": 1,
        },
        allowed: [],
        rulesOut: ["strict-serializable"],
        txns: {
          ok: 2,
          fail: 0,
          info: 0,
        },
        incomplete: [],
      });
    });
    it("should report G0-realtime and G-single-realtime when an acknowledged append is missing from every later read (it came after them)", () => {
      expect(checkListAppend(histories.lostAcknowledgedAppend().ops)).toEqual({
        valid: false,
        anomalies: [
          {
            kind: "G0-realtime",
            explanation:
              'G0-realtime: a cycle of write-write dependencies (ww) alone, closed only by real-time order, among 2 transactions:\nT1 (op 3, process 1, ok: append "x" 2)\nT2 (op 5, process 2, ok: append "x" 3)\nT1 < T2 because T1 completed (op 3) before T2 was invoked (op 4) (realtime);\nT2 < T1 because T1 appended 2 to key "x", which no read shows: it came after every element reads show, the last of which is T2\'s append of 3 (ww).\nSo T1 would have to precede itself: no order of these transactions explains what they observed. Rules out: strict-serializable.',
            ops: [3, 5],
            cycle: [
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
                index: 5,
                invokeIndex: 4,
                process: 2,
                outcome: "ok",
                mops: [["append", "x", 3]],
              },
            ],
            steps: [
              {
                from: "T1",
                to: "T2",
                type: "realtime",
                explanation: "T1 < T2 because T1 completed (op 3) before T2 was invoked (op 4) (realtime)",
              },
              {
                from: "T2",
                to: "T1",
                type: "ww",
                explanation:
                  'T2 < T1 because T1 appended 2 to key "x", which no read shows: it came after every element reads show, the last of which is T2\'s append of 3 (ww)',
              },
            ],
            rulesOut: ["strict-serializable"],
          },
          {
            kind: "G-single-realtime",
            explanation:
              'G-single-realtime: a cycle with exactly one anti-dependency (rw), closed only by real-time order, among 2 transactions:\nT1 (op 3, process 1, ok: append "x" 2)\nT2 (op 7, process 3, ok: r "x" → [1, 3])\nT1 < T2 because T1 completed (op 3) before T2 was invoked (op 6) (realtime);\nT2 < T1 because T2 read key "x" as [1, 3], without 2, which T1 appended and committed, though no read ever shows it (rw).\nSo T1 would have to precede itself: no order of these transactions explains what they observed. Rules out: strict-serializable.',
            ops: [3, 7],
            cycle: [
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
                index: 7,
                invokeIndex: 6,
                process: 3,
                outcome: "ok",
                mops: [["r", "x", [1, 3]]],
              },
            ],
            steps: [
              {
                from: "T1",
                to: "T2",
                type: "realtime",
                explanation: "T1 < T2 because T1 completed (op 3) before T2 was invoked (op 6) (realtime)",
              },
              {
                from: "T2",
                to: "T1",
                type: "rw",
                explanation:
                  'T2 < T1 because T2 read key "x" as [1, 3], without 2, which T1 appended and committed, though no read ever shows it (rw)',
              },
            ],
            rulesOut: ["strict-serializable"],
          },
        ],
        anomalyTypes: ["G0-realtime", "G-single-realtime"],
        counts: {
          "G0-realtime": 1,
          "G-single-realtime": 1,
        },
        allowed: [],
        rulesOut: ["strict-serializable"],
        txns: {
          ok: 4,
          fail: 0,
          info: 0,
        },
        incomplete: [],
      });
    });
  });
});
