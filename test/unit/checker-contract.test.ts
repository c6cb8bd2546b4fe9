import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { validateHistory } from "../../checkers/history/index.js";
import type { History } from "../../checkers/history/index.js";
import { registeredCheckers } from "../../checkers/registry/index.js";
import { deepFreeze } from "./support/build-history.js";
import { structurallyValidHistory } from "./support/random-history.js";

const context = { now: () => 0 };

function wellFormed(r: { valid: unknown } & Record<string, unknown>): void {
  expect([true, false, "unknown"]).toContain(r.valid);
  if (r.valid === false) {
    expect(Array.isArray(r.anomalies) && r.anomalies.length > 0).toBe(true);
    for (const a of r.anomalies as { kind: unknown; explanation: unknown }[]) {
      expect(typeof a.kind).toBe("string");
      expect(typeof a.explanation).toBe("string");
    }
  }
  if (r.valid === "unknown") expect(typeof r.reason).toBe("string");
  expect(() => JSON.stringify(r)).not.toThrow();
}

/**
 * The contract every registered checker passes, run with its default options: an empty history is valid; the same
 * history gives the same result; the input is never mutated (it is deep-frozen, and compared with a copy); no
 * structurally valid history makes it throw; results are well-formed tagged unions that serialise to JSON.
 */
describe.each(registeredCheckers.map((c) => [c.name, c] as const))("checker %s", (_name, def) => {
  const run = (h: History): ReturnType<typeof def.check> => def.check(h, { ...def.defaultOptions }, context);

  it("should find the empty history valid", () => {
    expect(run(deepFreeze([])).valid).toBe(true);
  });

  it("should never throw, never mutate its input and be deterministic on any structurally valid history", () => {
    fc.assert(
      fc.property(structurallyValidHistory(), (h) => {
        validateHistory(h);
        const copy = structuredClone(h);
        deepFreeze(h);
        const first = run(h);
        const second = run(h);
        expect(second).toEqual(first);
        expect(h).toEqual(copy);
        wellFormed(first as never);
      }),
      { numRuns: 300 },
    );
  });

  it("should accept its default options through its option specs", () => {
    for (const k of Object.keys(def.defaultOptions)) expect(Object.keys(def.optionSpecs)).toContain(k);
  });
});
