import { describe, expect, it } from "vitest";
import {
  checkerNames,
  getChecker,
  prepareCheckers,
  runChecker,
  runCheckers,
} from "../../checkers/registry/index.js";
import { history } from "./support/build-history.js";

const lostOne = history(
  [0, "invoke", "add", 1],
  [0, "ok", "add", 1],
  [1, "invoke", "read"],
  [1, "ok", "read", []],
);

describe("getChecker", () => {
  it("should find registered checkers and name the unknown one with the known list", () => {
    expect(getChecker("set").name).toBe("set");
    expect(() => getChecker("sett")).toThrow(
      `--checker: unknown checker "sett"; known checkers: ${checkerNames().join(", ")}`,
    );
  });
});

describe("prepareCheckers", () => {
  it("should resolve options and label a second instance of a checker", () => {
    const p = prepareCheckers(
      [{ name: "set" }, { name: "set", options: { readF: "smembers" } }],
      (i) => `config.json checkers[${i}]`,
    );
    expect(p.map((x) => [x.label, x.options.readF])).toEqual([
      ["set", "read"],
      ["set#2", "smembers"],
    ]);
  });

  it("should name where a bad option came from", () => {
    expect(() =>
      prepareCheckers([{ name: "set", options: { redF: "x" } }], (i) => `config.json checkers[${i}]`),
    ).toThrow('config.json checkers[0]: checker "set" has no option "redF"');
  });
});

describe("runCheckers", () => {
  it("should compose verdicts, worst wins", () => {
    const r = runCheckers(prepareCheckers([{ name: "set" }]), lostOne);
    expect(r.valid).toBe(false);
    expect(Object.keys(r.results)).toEqual(["set"]);
  });

  it("should turn a throwing checker into unknown", () => {
    const [p] = prepareCheckers([{ name: "set" }]);
    const throwing = {
      ...p,
      definition: {
        ...p.definition,
        check: () => {
          throw new Error("boom");
        },
      },
    };
    expect(runCheckers([throwing], lostOne)).toEqual({
      valid: "unknown",
      results: { set: { valid: "unknown", reason: "checker threw: boom", error: "boom" } },
    });
  });

  it("should pass the injected clock to budgets", () => {
    let t = 0;
    const rows: Parameters<typeof history> = [];
    for (let i = 0; i < 5000; i++) rows.push([0, "invoke", "add", i], [0, "ok", "add", i]);
    rows.push([1, "invoke", "read"], [1, "ok", "read", []]);
    const r = runChecker({ name: "set", options: { timeLimitMs: 1 } }, history(...rows), {
      now: () => (t += 10),
    });
    expect(r.valid).toBe("unknown");
  });
});
