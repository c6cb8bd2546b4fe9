import { describe, expect, it } from "vitest";
import { compose, safeCheck, worst } from "../../checkers/core/index.js";
import type { CheckResult } from "../../checkers/core/index.js";

describe("worst", () => {
  it("should rank false over unknown over true", () => {
    expect(worst(true, true)).toBe(true);
    expect(worst(true, "unknown")).toBe("unknown");
    expect(worst("unknown", false)).toBe(false);
    expect(worst(false, true)).toBe(false);
  });
});

describe("compose", () => {
  it("should be valid when empty and take the worst verdict otherwise", () => {
    expect(compose({}).valid).toBe(true);
    const ok: CheckResult = { valid: true };
    const unknown: CheckResult = { valid: "unknown", reason: "budget" };
    const bad: CheckResult = { valid: false, anomalies: [{ kind: "lost", explanation: "x" }] };
    expect(compose({ a: ok, b: unknown }).valid).toBe("unknown");
    expect(compose({ a: ok, b: unknown, c: bad }).valid).toBe(false);
  });
});

describe("safeCheck", () => {
  it("should turn a throwing checker into an unknown verdict with the error", () => {
    const r = safeCheck(() => {
      throw new Error("boom");
    }, []);
    expect(r).toEqual({ valid: "unknown", reason: "checker threw: boom", error: "boom" });
  });
});
