import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Op } from "../../checkers/history/index.js";
import { validateHistory } from "../../checkers/history/index.js";
import { checkSet } from "../../checkers/set/index.js";
import { checkSetFull } from "../../checkers/set-full/index.js";
import type { Choices, SimOp } from "./support/simulate.js";
import { choices, simulate } from "./support/simulate.js";

/** A linearizable set under random concurrency, crashes and retirement, ending with a final read. */
function setRun(c: Choices): Op[] {
  let next = 0;
  const read = (): SimOp<Set<number>> => ({
    f: "read",
    value: null,
    apply: (s) => [...s].sort((a, b) => a - b),
  });
  const { history } = simulate(
    c,
    new Set<number>(),
    1 + (c[0] % 5),
    (_slot, pick) => {
      if (pick(3) === 0) return read();
      const e = next++;
      return { f: "add", value: e, apply: (s) => (s.add(e), e) };
    },
    [read],
  );
  return history;
}

const clone = (h: Op[]): Op[] =>
  h.map((o) => ({ ...o, value: Array.isArray(o.value) ? [...o.value] : o.value }));
const okAdds = (h: Op[]): Op[] => h.filter((o) => o.f === "add" && o.type === "ok");
const okReads = (h: Op[]): Op[] => h.filter((o) => o.f === "read" && o.type === "ok");

describe("set and set-full on a linearizable set", () => {
  // 4,000 valid histories here (+ 3,000 counter + 3,000 sessions in the sibling files: 10,000 in all).
  it("should find every history valid, stale reads counting as invalid (4,000 histories, no false positive)", () => {
    fc.assert(
      fc.property(choices(), (c) => {
        const h = setRun(c);
        validateHistory(h);
        const set = checkSet(h);
        expect(set.valid, JSON.stringify(set.valid === false ? set.anomalies : set)).toBe(true);
        const full = checkSetFull(h, { linearizable: true });
        expect(full.valid, JSON.stringify(full.valid === false ? full.anomalies : full)).toBe(true);
        expect(full.lostCount + full.staleCount).toBe(0);
      }),
      { numRuns: 4000 },
    );
  });

  it("should name the lost element when one acknowledged add vanishes from every read after its ack", () => {
    fc.assert(
      fc.property(choices(), fc.nat(), (c, k) => {
        const h = clone(setRun(c));
        const adds = okAdds(h);
        fc.pre(adds.length > 0);
        const ack = adds[k % adds.length];
        const e = ack.value as number;
        // Remove e from every read invoked after the ack (reads are paired with their invokes by process).
        const open = new Map<number | string, number>();
        for (const o of h) {
          if (o.type === "invoke") open.set(o.process, o.index);
          else if (o.f === "read" && o.type === "ok" && open.get(o.process)! > ack.index) {
            o.value = (o.value as number[]).filter((x) => x !== e);
          }
        }
        const set = checkSet(h);
        expect(set.valid).toBe(false);
        expect(set.valid === false && set.anomalies.map((a) => a.kind)).toContain("lost");
        expect(set.lost.map((l) => l.element)).toEqual([e]);
        const full = checkSetFull(h);
        expect(full.valid).toBe(false);
        expect(full.valid === false && full.anomalies.map((a) => a.kind)).toContain("lost");
        expect(full.lost.map((l) => l.element)).toEqual([e]);
      }),
      { numRuns: 1000 },
    );
  });

  it("should name the duplicated element when a read returns one twice", () => {
    fc.assert(
      fc.property(choices(), fc.nat(), fc.nat(), (c, k, j) => {
        const h = clone(setRun(c));
        const reads = okReads(h).filter((o) => (o.value as number[]).length > 0);
        fc.pre(reads.length > 0);
        const read = reads[k % reads.length];
        const v = read.value as number[];
        const e = v[j % v.length];
        v.splice(j % (v.length + 1), 0, e);
        const full = checkSetFull(h);
        expect(full.valid).toBe(false);
        expect(full.valid === false && full.anomalies.map((a) => a.kind)).toEqual(["duplicated"]);
        expect(full.duplicated).toEqual([{ element: e, op: invokeIndex(h, read), copies: 2 }]);
        if (read === okReads(h).at(-1)) expect(checkSet(h)).toMatchObject({ valid: false, duplicated: [e] });
      }),
      { numRuns: 1000 },
    );
  });
});

/** The index of the invoke a completion answers. */
function invokeIndex(h: Op[], done: Op): number {
  for (let i = done.index - 1; i >= 0; i--) if (h[i].process === done.process) return i;
  throw new Error("no invoke");
}
