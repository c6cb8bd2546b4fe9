import { describe, expect, it } from "vitest";
import { checkStats } from "../../checkers/stats/index.js";
import { history } from "./support/build-history.js";

const h = history(
  [0, "invoke", "add", 1],
  [0, "ok", "add", 1],
  [1, "invoke", "cas", [1, 2]],
  [1, "fail", "cas", [1, 2]],
  ["nemesis", "info", "kill"],
  [2, "invoke", "cas", [1, 3]],
);

describe("checkStats", () => {
  it("should count client ops per f and be invalid when some f never succeeded", () => {
    expect(checkStats(h)).toEqual({
      valid: false,
      anomalies: [
        { kind: "never-ok", explanation: "no cas op succeeded: 0 of 2 ok (1 failed, 1 unknown)", f: "cas" },
      ],
      count: 3,
      okCount: 1,
      failCount: 1,
      infoCount: 1,
      byF: {
        add: { count: 1, okCount: 1, failCount: 0, infoCount: 0 },
        cas: { count: 2, okCount: 0, failCount: 1, infoCount: 1 },
      },
    });
  });

  it("should be valid when the f is exempt or requireOk is off", () => {
    expect(checkStats(h, { exemptFs: ["cas"] }).valid).toBe(true);
    expect(checkStats(h, { requireOk: false }).valid).toBe(true);
  });

  it("should be unknown and all zero on an empty history", () => {
    expect(checkStats([])).toEqual({
      valid: "unknown",
      reason: "the history holds no client operation: nothing to judge",
      count: 0,
      okCount: 0,
      failCount: 0,
      infoCount: 0,
      byF: {},
    });
  });
});
