import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkCounter } from "../../checkers/counter/index.js";
import type { Op } from "../../checkers/history/index.js";
import { validateHistory } from "../../checkers/history/index.js";
import type { Choices } from "./support/simulate.js";
import { choices, simulate } from "./support/simulate.js";

/** A linearizable counter with positive and negative deltas, under random concurrency, crashes and retirement. */
function counterRun(c: Choices): Op[] {
  const state = { n: 0 };
  const read = () => ({ f: "read", value: null, apply: (s: { n: number }) => s.n });
  const { history } = simulate(
    c,
    state,
    1 + (c[0] % 5),
    (_slot, pick) => {
      if (pick(3) === 0) return read();
      const d = pick(16) - 5;
      return pick(4) === 0 && d === 1
        ? { f: "incr", value: null, apply: (s: { n: number }) => (s.n += 1) }
        : { f: "add", value: d, apply: (s: { n: number }) => (s.n += d) };
    },
    [read],
  );
  return history;
}

describe("checkCounter on a linearizable counter", () => {
  // 3,000 valid histories (see set-model.test.ts for the 10,000 total).
  it("should find every history valid (3,000 histories, no false positive)", () => {
    fc.assert(
      fc.property(choices(), (c) => {
        const h = counterRun(c);
        validateHistory(h);
        const r = checkCounter(h);
        expect(r.valid, JSON.stringify(r)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it("should name the out-of-bounds read when one read returns a count no subset of the adds can reach", () => {
    fc.assert(
      fc.property(choices(), fc.nat(), fc.boolean(), (c, k, above) => {
        const h = counterRun(c).map((o) => ({ ...o }));
        const reads = h.filter((o) => o.f === "read" && o.type === "ok");
        const read = reads[k % reads.length];
        // Beyond the sum of every delta's magnitude: outside [lower, upper] whatever happened.
        const reach = h
          .filter((o) => o.type === "invoke" && o.f !== "read")
          .reduce((n, o) => n + Math.abs((o.value as number) ?? 1), 0);
        read.value = above ? reach + 1 : -reach - 1;
        const r = checkCounter(h);
        expect(r.valid).toBe(false);
        expect(r.valid === false && r.anomalies.map((a) => a.kind)).toEqual(["out-of-bounds"]);
        expect(r.errors).toMatchObject([{ completedAt: read.index, value: read.value }]);
      }),
      { numRuns: 1000 },
    );
  });
});
