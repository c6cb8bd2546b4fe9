import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Op, OpType } from "../../checkers/history/index.js";
import { pairOps } from "../../checkers/history/index.js";
import { checkSetFull } from "../../checkers/set-full/index.js";

/** Random add/read histories over elements 0–5 (reads may return 6, never added, and duplicates). */
const histories = fc
  .array(
    fc.record({
      proc: fc.nat(4),
      element: fc.nat(5),
      outcome: fc.constantFrom<OpType>("ok", "ok", "fail", "info", "invoke"),
      read: fc.array(fc.nat(6), { maxLength: 8 }),
      isRead: fc.boolean(),
    }),
    { maxLength: 40 },
  )
  .map((steps) => {
    const ops: Op[] = [];
    const ids = [0, 1, 2, 3, 4];
    const open = new Map<number, Op>();
    for (const s of steps) {
      const p = ids[s.proc];
      const o = open.get(p);
      const push = (x: Omit<Op, "index" | "time">): Op => {
        const op = { index: ops.length, time: ops.length * 1000, ...x } as Op;
        ops.push(op);
        return op;
      };
      if (!o) {
        open.set(
          p,
          push({
            process: p,
            type: "invoke",
            f: s.isRead ? "read" : "add",
            value: s.isRead ? null : s.element,
          }),
        );
      } else if (s.outcome !== "invoke") {
        const type = o.f === "read" && s.outcome !== "ok" ? "fail" : s.outcome;
        push({ process: p, type, f: o.f, value: o.f === "read" ? (type === "ok" ? s.read : null) : o.value });
        open.delete(p);
        if (type === "info") ids[s.proc] = p + 5;
      }
    }
    return ops;
  });

/** Jepsen's set-full, written the obvious way: per element, per read. */
function reference(h: Op[]) {
  const pairs = pairOps(h).filter((p) => typeof p.process === "number");
  const adds = pairs.filter((p) => p.f === "add");
  const reads = pairs.filter((p) => p.f === "read" && p.type === "ok");
  const elements = [...new Set(adds.map((a) => a.value as number))];
  const out = new Map<number, { outcome: string; stale: boolean; lastAbsent: number | null }>();
  for (const e of elements) {
    const has = (r: (typeof reads)[number]) => (r.value as number[]).includes(e);
    const known = Math.min(
      ...adds.filter((a) => a.value === e && a.type === "ok").map((a) => a.end),
      ...reads.filter(has).map((r) => r.end),
    );
    const present = reads.filter(has).map((r) => r.start);
    const lastPresent = present.length ? Math.max(...present) : -1;
    const absent = reads.filter((r) => !has(r) && r.start > known).map((r) => r.start);
    const lastAbsent = absent.length ? Math.max(...absent) : -1;
    const stable = lastPresent >= 0 && lastAbsent < lastPresent;
    const lost = known !== Infinity && lastAbsent >= 0 && lastAbsent > lastPresent;
    out.set(e, {
      outcome: stable ? "stable" : lost ? "lost" : "never-read",
      stale: stable && lastAbsent >= 0,
      lastAbsent: lastAbsent >= 0 ? lastAbsent : null,
    });
  }
  const failedButPresent = elements.filter(
    (e) =>
      adds.filter((a) => a.value === e).every((a) => a.type === "fail") &&
      reads.some((r) => (r.value as number[]).includes(e)),
  );
  // Returned by some read that completed before any add of it had been invoked.
  const unexpected = [...new Set(reads.flatMap((r) => r.value as number[]))].filter((e) =>
    reads.some(
      (r) => (r.value as number[]).includes(e) && !adds.some((a) => a.value === e && a.start < r.end),
    ),
  );
  const duplicated = reads.flatMap((r) => {
    const v = r.value as number[];
    return [...new Set(v)].filter((e) => v.indexOf(e) !== v.lastIndexOf(e)).map((e) => `${r.start}:${e}`);
  });
  return { out, failedButPresent, unexpected, duplicated };
}

describe("checkSetFull", () => {
  it("should classify every element exactly as Jepsen's definition does, written the obvious way (3,000 histories)", () => {
    fc.assert(
      fc.property(histories, (h) => {
        const r = checkSetFull(h, { elementDetails: true });
        const ref = reference(h);
        for (const rec of r.elements ?? []) {
          const want = ref.out.get(rec.element as number)!;
          expect({ e: rec.element, outcome: rec.outcome }).toEqual({ e: rec.element, outcome: want.outcome });
          expect(rec.lastAbsent?.op ?? null).toBe(want.lastAbsent);
        }
        expect(r.elements?.length ?? 0).toBe(ref.out.size);
        expect(r.stale.map((s) => s.element).sort()).toEqual(
          [...ref.out]
            .filter(([, v]) => v.stale)
            .map(([e]) => e)
            .sort(),
        );
        expect(r.failedButPresent.map((x) => x.element).sort()).toEqual(ref.failedButPresent.sort());
        expect(r.unexpected.map((x) => x.element).sort()).toEqual(ref.unexpected.sort());
        expect(r.duplicated.map((d) => `${d.op}:${String(d.element)}`).sort()).toEqual(ref.duplicated.sort());
        const anomalous = r.lostCount + r.failedButPresentCount + r.unexpectedCount + r.duplicatedCount > 0;
        expect(r.valid === false).toBe(anomalous);
      }),
      { numRuns: 3000 },
    );
  });
});
