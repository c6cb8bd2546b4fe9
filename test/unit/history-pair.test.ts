import { describe, expect, it } from "vitest";
import { pairOps } from "../../checkers/history/index.js";
import type { Op } from "../../checkers/history/index.js";

describe("pairOps", () => {
  it("should pair invokes with completions and use the invoke's value for fail and info", () => {
    const h: Op[] = [
      { index: 0, time: 0, process: 0, type: "invoke", f: "add", value: 1 },
      { index: 1, time: 5, process: 1, type: "invoke", f: "read", value: null, node: "n2" },
      { index: 2, time: 9, process: 0, type: "fail", f: "add", value: 1, error: "READONLY" },
      { index: 3, time: 12, process: 1, type: "ok", f: "read", value: [1] },
      { index: 4, time: 13, process: 2, type: "invoke", f: "add", value: 2, key: "s" },
      { index: 5, time: 20, process: 2, type: "info", f: "add", value: "ignored", error: "timeout" },
      { index: 6, time: 21, process: 4, type: "invoke", f: "add", value: 3 },
    ];
    expect(pairOps(h)).toEqual([
      {
        process: 0,
        f: "add",
        type: "fail",
        value: 1,
        error: "READONLY",
        invoke: h[0],
        completion: h[2],
        standalone: false,
        retires: false,
        start: 0,
        end: 2,
        startTime: 0,
        endTime: 9,
      },
      {
        process: 1,
        f: "read",
        type: "ok",
        value: [1],
        node: "n2",
        invoke: h[1],
        completion: h[3],
        standalone: false,
        retires: false,
        start: 1,
        end: 3,
        startTime: 5,
        endTime: 12,
      },
      {
        process: 2,
        f: "add",
        key: "s",
        type: "info",
        value: 2,
        error: "timeout",
        invoke: h[4],
        completion: h[5],
        standalone: false,
        retires: true,
        start: 4,
        end: 5,
        startTime: 13,
        endTime: 20,
      },
      {
        process: 4,
        f: "add",
        type: "info",
        value: 3,
        invoke: h[6],
        completion: undefined,
        standalone: false,
        retires: true,
        start: 6,
        end: Infinity,
        startTime: 21,
        endTime: Infinity,
      },
    ]);
  });

  it("should keep an ok write's arguments when its completion carries no value", () => {
    const h: Op[] = [
      { index: 0, time: 0, process: 0, type: "invoke", f: "write", value: 7 },
      { index: 1, time: 1, process: 0, type: "ok", f: "write" },
    ];
    expect(pairOps(h)[0].value).toBe(7);
  });

  it("should treat nemesis completions without invokes as standalone events and pair the rest", () => {
    const h: Op[] = [
      { index: 0, time: 0, process: "nemesis", type: "info", f: "partition", value: null },
      { index: 1, time: 1, process: "nemesis", type: "invoke", f: "kill", value: "n1" },
      { index: 2, time: 2, process: "nemesis", type: "info", f: "partition", value: "cut" },
      { index: 3, time: 3, process: "nemesis", type: "ok", f: "kill", value: "killed" },
      { index: 4, time: 4, process: "monitor", type: "ok", f: "leader", value: "n2" },
    ];
    const pairs = pairOps(h);
    expect(pairs.map((p) => [p.start, p.end, p.type, p.standalone, p.value])).toEqual([
      [0, 0, "info", true, null],
      [1, 3, "ok", false, "killed"],
      [2, 2, "info", true, "cut"],
      [4, 4, "ok", true, "n2"],
    ]);
  });

  it("should throw an input error naming the op when a client completion has no invoke", () => {
    expect(() => pairOps([{ index: 0, time: 0, process: 1, type: "ok", f: "read", value: 1 }])).toThrow(
      "op 0: ok completion of process 1 has no invoke in flight",
    );
  });
});
