import { describe, expect, it } from "vitest";
import type { Op } from "../../checkers/history/index.js";
import { isWriteOp, writeAvailability } from "../../harness/report/index.js";

const MS = 1e6;

/** Rows as [time ms, process, type, f, value]. */
type Row = [number, Op["process"], Op["type"], string, unknown?];
const hist = (...rows: Row[]): Op[] =>
  rows.map(([t, process, type, f, value], index) => ({
    index,
    time: Math.round(t * MS),
    process,
    type,
    f,
    ...(value === undefined ? {} : { value }),
  }));

describe("writeAvailability", () => {
  it("should measure the stretches with no acknowledged write while writes were tried and not acknowledged", () => {
    const h = hist(
      [0, 0, "invoke", "add", 0],
      [10, 0, "ok", "add", 0],
      [10, 1, "invoke", "add", 1],
      [20, 1, "ok", "add", 1],
      // An outage: two writes time out (unknown), one is refused, a read still answers.
      [20, 0, "invoke", "add", 2],
      [25, 1, "invoke", "add", 3],
      [30, "nemesis", "invoke", "start-partition-leader", null],
      [1020, 0, "info", "add", 2],
      [1025, 1, "info", "add", 3],
      [1030, 2, "invoke", "read", null],
      [1031, 2, "ok", "read", [0, 1]],
      [1040, 3, "invoke", "add", 4],
      [1045, 3, "fail", "add", 4],
      [1100, 2, "invoke", "add", 5],
      [1500, 2, "ok", "add", 5],
      // Healthy again: gaps between acknowledgements with nothing refused are latency, not unavailability.
      [1500, 3, "invoke", "add", 6],
      [1700, 3, "ok", "add", 6],
      // A short stretch: one write refused between two acknowledgements.
      [1700, 4, "invoke", "add", 7],
      [1710, 4, "fail", "add", 7],
      [1720, 3, "invoke", "add", 8],
      [1750, 3, "ok", "add", 8],
    );
    expect(writeAvailability(h)).toEqual({
      attempted: 9,
      acknowledged: 5,
      failed: 2,
      unknown: 2,
      longestMs: 1480,
      totalMs: 1480 + 50,
      stretchCount: 2,
      stretches: [
        { fromMs: 20, toMs: 1500, lengthMs: 1480, failed: 1, unknown: 2 },
        { fromMs: 1700, toMs: 1750, lengthMs: 50, failed: 1, unknown: 0 },
      ],
    });
  });

  it("should run a stretch from the first write tried when none was ever acknowledged, and to the end of the history for one never completed", () => {
    const h = hist(
      [5, 0, "invoke", "add", 0],
      [1005, 0, "info", "add", 0],
      [1005, 1, "invoke", "add", 1],
      [2000, "monitor", "info", "leader", "n1"],
    );
    expect(writeAvailability(h)).toMatchObject({
      attempted: 2,
      acknowledged: 0,
      unknown: 2,
      longestMs: 1995,
      stretches: [{ fromMs: 5, toMs: 2000, lengthMs: 1995, failed: 0, unknown: 2 }],
    });
  });

  it("should find no stretch when every write was acknowledged, and none when no write was tried", () => {
    const acked = hist(
      [0, 0, "invoke", "add", 0],
      [900, 0, "ok", "add", 0],
      [900, 0, "invoke", "add", 1],
      [5000, 0, "ok", "add", 1],
    );
    expect(writeAvailability(acked)).toMatchObject({ attempted: 2, longestMs: 0, totalMs: 0, stretches: [] });
    const reads = hist([0, 0, "invoke", "read", null], [5, 0, "fail", "read", null]);
    expect(writeAvailability(reads)).toMatchObject({ attempted: 0, longestMs: 0, stretchCount: 0 });
  });

  it("should keep only the longest stretches, longest first", () => {
    const rows: Row[] = [];
    for (let i = 0; i < 15; i++) {
      const t = 200 * i + 10 * i * i; // the stretches grow: ack i − ack i−1 = 200 + 10 × (2i − 1)
      rows.push(
        [t, 0, "invoke", "add", 2 * i],
        [t + 1 + i, 0, "fail", "add", 2 * i],
        [t + 1 + i, 0, "invoke", "add", 2 * i + 1],
        [t + 100, 0, "ok", "add", 2 * i + 1],
      );
    }
    const a = writeAvailability(hist(...rows));
    expect(a.stretchCount).toBe(15);
    expect(a.stretches).toHaveLength(10);
    expect(a.stretches[0]).toMatchObject({ fromMs: 4390, toMs: 4860, lengthMs: 470 });
    expect(a.stretches.map((s) => s.lengthMs)).toEqual(
      [...a.stretches.map((s) => s.lengthMs)].sort((x, y) => y - x),
    );
  });
});

describe("isWriteOp", () => {
  it("should call anything but a read a write, and a transaction one when it does more than read", () => {
    expect(isWriteOp({ f: "add", value: 1 })).toBe(true);
    expect(isWriteOp({ f: "cas", value: [1, 2] })).toBe(true);
    expect(isWriteOp({ f: "read", value: null })).toBe(false);
    expect(isWriteOp({ f: "txn", value: [["r", "k", null]] })).toBe(false);
    expect(
      isWriteOp({
        f: "txn",
        value: [
          ["r", "k", null],
          ["append", "k", 3],
        ],
      }),
    ).toBe(true);
  });
});
