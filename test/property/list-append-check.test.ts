import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Op } from "../../checkers/history/op.js";
import { checkListAppend } from "../../checkers/list-append/index.js";
import type { ListAppendAnomalyKind } from "../../checkers/list-append/index.js";
import { committed, simulate } from "./list-append-store.js";
import type { Step } from "./list-append-store.js";

type Mop = [string, number, unknown];

const stepArb: fc.Arbitrary<Step> = fc.record({
  worker: fc.nat(7),
  mops: fc.array(fc.record({ read: fc.boolean(), key: fc.nat(3) }), { minLength: 1, maxLength: 4 }),
  outcome: fc.oneof(
    { arbitrary: fc.constant("ok" as const), weight: 8 },
    { arbitrary: fc.constant("fail" as const), weight: 1 },
    { arbitrary: fc.constant("info" as const), weight: 1 },
  ),
  applyInfo: fc.boolean(),
  delay: fc.nat(4),
});

/** A history of the strict-serializable store under random concurrency, crashes and aborts. */
const historyArb = (minSteps: number): fc.Arbitrary<Op[]> =>
  fc
    .record({
      workers: fc.integer({ min: 1, max: 6 }),
      steps: fc.array(stepArb, { minLength: minSteps, maxLength: 120, size: "max" }),
    })
    .map(({ workers, steps }) => simulate(workers, steps));

/** Writer of each appended element, by key and element. */
function appenders(ops: readonly Op[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of committed(ops))
    for (const [f, k, v] of t.mops) if (f === "append") out.set(`${k}:${v}`, t.ok);
  return out;
}

const CYCLE_WITH_RW = /^(G-single|G-nonadjacent|G2-item)/;
const hasCycleWithRw = (kinds: readonly ListAppendAnomalyKind[]): boolean =>
  kinds.some((k) => CYCLE_WITH_RW.test(k));

/** Duplicates an element of the `pick`-th non-empty committed read. */
function injectDuplicate(ops: Op[], pick: number): Op[] | null {
  const out = structuredClone(ops);
  const reads = committed(out).flatMap((t) =>
    t.mops.filter((m) => m[0] === "r" && (m[2] as number[]).length > 0),
  );
  if (reads.length === 0) return null;
  const list = reads[pick % reads.length][2] as number[];
  list.splice(pick % (list.length + 1), 0, list[pick % list.length]);
  return out;
}

/** Adds a failed append of a fresh element to a key, and that element to the end of a committed read of the key. */
function injectAbortedRead(ops: Op[], pick: number): Op[] | null {
  const out = structuredClone(ops);
  const reads = committed(out).flatMap((t) => t.mops.filter((m) => m[0] === "r"));
  if (reads.length === 0) return null;
  const read = reads[pick % reads.length];
  const element = 1_000_000_000;
  (read[2] as number[]).push(element);
  const value: Mop[] = [["append", read[1], element]];
  out.push({ index: out.length, time: out.length * 1_000, process: 9_999, type: "invoke", f: "txn", value });
  out.push({ index: out.length, time: out.length * 1_000, process: 9_999, type: "fail", f: "txn", value });
  return out;
}

/**
 * A stale read: a committed read of a key, invoked after the writer of its last element completed, loses that last
 * element (as a read served by a lagging follower would).
 */
function injectStaleRead(ops: Op[], pick: number): Op[] | null {
  const out = structuredClone(ops);
  const writers = appenders(out);
  const candidates: number[][] = [];
  for (const t of committed(out)) {
    for (const m of t.mops) {
      const list = m[2] as number[];
      if (m[0] !== "r" || list.length === 0) continue;
      const sameKey = t.mops.filter((x) => x[1] === m[1]);
      if (sameKey.length !== 1) continue; // one read of the key, no append to it: no internal effect
      const w = writers.get(`${m[1]}:${list[list.length - 1]}`);
      const before = list.length > 1 ? writers.get(`${m[1]}:${list[list.length - 2]}`) : undefined;
      if (w !== undefined && w < t.invoke && before !== w) candidates.push(list);
    }
  }
  if (candidates.length === 0) return null;
  candidates[pick % candidates.length].pop();
  return out;
}

/**
 * A lost acknowledged append: a committed transaction's only append to a key vanishes from every read, though a
 * transaction invoked after it completed reads that key.
 */
function injectLostAppend(ops: Op[], pick: number): Op[] | null {
  const out = structuredClone(ops);
  const txns = committed(out);
  const candidates: { key: number; element: number }[] = [];
  for (const w of txns) {
    const appends = w.mops.filter((m) => m[0] === "append");
    for (const a of appends) {
      if (w.mops.filter((m) => m[1] === a[1]).length !== 1) continue; // its only op on the key
      const laterReader = txns.some(
        (r) => r.invoke > w.ok && r.mops.some((m) => m[0] === "r" && m[1] === a[1]),
      );
      if (laterReader) candidates.push({ key: a[1], element: a[2] as number });
    }
  }
  if (candidates.length === 0) return null;
  const { key, element } = candidates[pick % candidates.length];
  for (const t of txns) {
    for (const m of t.mops) {
      if (m[0] !== "r" || m[1] !== key) continue;
      const list = m[2] as number[];
      const at = list.indexOf(element);
      if (at >= 0) list.splice(at, 1);
    }
  }
  return out;
}

describe("checkListAppend", () => {
  it("should find no anomaly when histories come from a strict-serializable store with crashes and aborts", () => {
    fc.assert(
      fc.property(historyArb(1), (ops) => {
        const r = checkListAppend(ops);
        expect(r.anomalyTypes).toEqual([]);
        expect(r.allowed).toEqual([]);
        expect(r.valid).toBe(true);
      }),
      { numRuns: 10_000 },
    );
  }, 180_000);

  it("should report duplicate-elements when an element is duplicated in one read", () => {
    fc.assert(
      fc.property(historyArb(4), fc.nat(), (ops, pick) => {
        const bad = injectDuplicate(ops, pick);
        fc.pre(bad !== null);
        const r = checkListAppend(bad as Op[]);
        expect(r.valid).toBe(false);
        expect(r.anomalyTypes).toContain("duplicate-elements");
      }),
      { numRuns: 1_000 },
    );
  }, 60_000);

  it("should report G1a when a read holds an element of a failed append", () => {
    fc.assert(
      fc.property(historyArb(4), fc.nat(), (ops, pick) => {
        const bad = injectAbortedRead(ops, pick);
        fc.pre(bad !== null);
        const r = checkListAppend(bad as Op[]);
        expect(r.valid).toBe(false);
        expect(r.anomalyTypes).toContain("G1a");
      }),
      { numRuns: 1_000 },
    );
  }, 60_000);

  it("should report a cycle with an anti-dependency when a read is stale", () => {
    fc.assert(
      fc.property(historyArb(20), fc.nat(), (ops, pick) => {
        const bad = injectStaleRead(ops, pick);
        fc.pre(bad !== null);
        const r = checkListAppend(bad as Op[]);
        expect(r.valid).toBe(false);
        expect(hasCycleWithRw(r.anomalyTypes)).toBe(true);
      }),
      { numRuns: 1_000 },
    );
  }, 60_000);

  it("should report a cycle with an anti-dependency when an acknowledged append is lost", () => {
    fc.assert(
      fc.property(historyArb(20), fc.nat(), (ops, pick) => {
        const bad = injectLostAppend(ops, pick);
        fc.pre(bad !== null);
        const r = checkListAppend(bad as Op[]);
        expect(r.valid).toBe(false);
        expect(hasCycleWithRw(r.anomalyTypes)).toBe(true);
      }),
      { numRuns: 1_000 },
    );
  }, 60_000);
});
