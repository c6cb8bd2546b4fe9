import { describe, expect, it } from "vitest";
import {
  OutOfBudget,
  canonicalJson,
  compareElements,
  countOutcomes,
  elementKey,
  listElements,
  nsToMs,
  quantiles,
  recordOf,
  resolveCheckerOptions,
  startBudget,
} from "../../checkers/core/index.js";
import type { CheckerDefinition } from "../../checkers/core/index.js";
import { pairOps } from "../../checkers/history/index.js";
import { history } from "./support/build-history.js";

describe("startBudget", () => {
  it("should throw OutOfBudget at once when the history is over maxOps", () => {
    expect(() => startBudget({ maxOps: 3 }, 4)).toThrow(OutOfBudget);
    expect(() => startBudget({ maxOps: 4 }, 4)).not.toThrow();
  });

  it("should read the clock every 4096 ticks and throw once past the deadline", () => {
    let t = 0;
    let reads = 0;
    const b = startBudget({ timeLimitMs: 100, now: () => (reads++, t) }, 0);
    t = 50;
    for (let i = 0; i < 4096; i++) b.tick("x");
    expect(reads).toBe(2);
    t = 101;
    for (let i = 0; i < 4095; i++) b.tick("x");
    expect(() => b.tick("scanning reads")).toThrow("the time limit of 100 ms ran out while scanning reads");
    expect(() => b.check("y")).toThrow(OutOfBudget);
  });

  it("should never read the clock without a time limit", () => {
    const b = startBudget({ now: () => expect.unreachable() }, 10);
    for (let i = 0; i < 10_000; i++) b.tick("x");
    b.check("x");
  });
});

describe("quantiles", () => {
  it("should give nearest-rank quantiles and nulls for no samples", () => {
    expect(quantiles([5, 1, 3])).toEqual({ count: 3, min: 1, p50: 3, p90: 5, p99: 5, max: 5 });
    const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(quantiles(hundred)).toEqual({ count: 100, min: 1, p50: 50, p90: 90, p99: 99, max: 100 });
    expect(quantiles(new Float64Array([2, 1]))).toEqual({ count: 2, min: 1, p50: 1, p90: 2, p99: 2, max: 2 });
    expect(quantiles([])).toEqual({ count: 0, min: null, p50: null, p90: null, p99: null, max: null });
  });

  it("should convert ns to ms rounded to the microsecond", () => {
    expect(nsToMs(1_234_567)).toBe(1.235);
  });
});

describe("elementKey", () => {
  it("should tell numbers from strings and ignore object key order", () => {
    expect(elementKey(1)).not.toBe(elementKey("1"));
    expect(elementKey({ a: 1, b: [2] })).toBe(elementKey({ b: [2], a: 1 }));
    expect(canonicalJson({ b: 1, a: { d: 2, c: 3 } })).toBe('{"a":{"c":3,"d":2},"b":1}');
  });

  it("should order numbers, then strings, then other values", () => {
    expect([["x"], "b", 10, "a", 2].sort(compareElements)).toEqual([2, 10, "a", "b", ["x"]]);
    expect(listElements([1, 2, 3], 2)).toBe("1, 2 and 1 more");
  });
});

describe("countOutcomes", () => {
  it("should count client ops per f with never-completed invokes as info, ignoring the nemesis", () => {
    const h = history(
      [0, "invoke", "add", 1],
      [0, "ok", "add", 1],
      ["nemesis", "info", "kill"],
      [1, "invoke", "read"],
      [1, "fail", "read"],
      [2, "invoke", "add", 2],
    );
    expect(countOutcomes(pairOps(h))).toEqual({
      add: { ok: 1, fail: 0, info: 1 },
      read: { ok: 0, fail: 1, info: 0 },
    });
  });
});

describe("recordOf", () => {
  it("should keep a __proto__ key as data", () => {
    const r = recordOf([["__proto__", 1]]);
    expect(Object.keys(r)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(r)).toBe(Object.prototype);
  });
});

describe("resolveCheckerOptions", () => {
  const def: CheckerDefinition<{ n: number | null; mode: string; flag: boolean; fs: string[] }> = {
    name: "demo",
    description: "d",
    defaultOptions: { n: null, mode: "a", flag: false, fs: ["x"] },
    optionSpecs: {
      n: { type: "integer", nullable: true, min: 1, description: "n" },
      mode: { type: "string", values: ["a", "b"], description: "m" },
      flag: { type: "boolean", description: "f" },
      fs: { type: "string[]", description: "fs" },
    },
    check: () => ({ valid: true }),
  };

  it("should merge user options over the defaults", () => {
    expect(resolveCheckerOptions(def, { n: 3, mode: "b" }, "w")).toEqual({
      n: 3,
      mode: "b",
      flag: false,
      fs: ["x"],
    });
    expect(resolveCheckerOptions(def, undefined, "w")).toEqual(def.defaultOptions);
  });

  it("should name the checker and the option when an option is unknown or ill-typed", () => {
    expect(() => resolveCheckerOptions(def, { nn: 1 }, "config.json checkers[0]")).toThrow(
      'config.json checkers[0]: checker "demo" has no option "nn"',
    );
    expect(() => resolveCheckerOptions(def, { n: 0 }, "w")).toThrow(
      'w: checker "demo" option "n" must be an integer ≥ 1, got 0',
    );
    expect(() => resolveCheckerOptions(def, { mode: "c" }, "w")).toThrow(
      'option "mode" must be one of a, b, got "c"',
    );
    expect(() => resolveCheckerOptions(def, { flag: "yes" }, "w")).toThrow(
      'option "flag" must be true or false',
    );
    expect(() => resolveCheckerOptions(def, { fs: [1] }, "w")).toThrow(
      'option "fs" must be an array of strings',
    );
    expect(() => resolveCheckerOptions(def, { mode: null }, "w")).toThrow('option "mode" must not be null');
    expect(() => resolveCheckerOptions(def, [1], "w")).toThrow("options must be an object");
  });
});
