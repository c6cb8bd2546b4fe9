import { describe, expect, it } from "vitest";
import { checkSetFull } from "../../checkers/set-full/index.js";
import { history } from "./support/build-history.js";

const ms = 1_000_000;
const noLatency = { count: 0, min: null, p50: null, p90: null, p99: null, max: null };
const nothing = {
  lost: [],
  lostCount: 0,
  stale: [],
  staleCount: 0,
  neverRead: [],
  neverReadCount: 0,
  duplicated: [],
  duplicatedCount: 0,
  failedButPresent: [],
  failedButPresentCount: 0,
  unexpected: [],
  unexpectedCount: 0,
};

describe("checkSetFull", () => {
  it("should find every element stable, with visibility latencies, when each read sees what was acknowledged", () => {
    const h = history(
      [0, "invoke", "add", 1],
      [0, "ok", "add", 1],
      [1, "invoke", "read"],
      [1, "ok", "read", [1]],
      [0, "invoke", "add", 2],
      [0, "ok", "add", 2],
      [1, "invoke", "read"],
      [1, "ok", "read", [1, 2]],
    );
    expect(checkSetFull(h)).toEqual({
      valid: true,
      ...nothing,
      counts: { add: { ok: 2, fail: 0, info: 0 }, read: { ok: 2, fail: 0, info: 0 } },
      readCount: 2,
      attemptCount: 2,
      stableCount: 2,
      // add 1 ok at 1 ms, first read after it completes at 3 ms; add 2 ok at 5 ms, read completes at 7 ms.
      visibilityLatencyMs: { count: 2, min: 2, p50: 2, p90: 2, p99: 2, max: 2 },
      stableLatencyMs: { count: 2, min: 0, p50: 0, p90: 0, p99: 0, max: 0 },
    });
  });

  it("should report a lost element with when it was known, last seen and first missed", () => {
    const h = history(
      [0, "invoke", "add", 7],
      [0, "ok", "add", 7],
      [1, "invoke", "read"],
      [1, "ok", "read", [7]],
      [1, "invoke", "read"],
      [1, "ok", "read", []],
      [2, "invoke", "read"],
      [2, "ok", "read", []],
    );
    const r = checkSetFull(h);
    expect(r).toEqual({
      valid: false,
      anomalies: [
        {
          kind: "lost",
          explanation:
            "1 element(s) lost: known to be in the set, then missing from every read that began later: 7 (known " +
            "since op 1 at 0.001 s; last seen by the read invoked as op 2 at 0.002 s; missing from the read invoked " +
            "as op 4 at 0.004 s and the 1 after it)",
          ops: [1],
          elements: [7],
        },
      ],
      ...nothing,
      counts: { add: { ok: 1, fail: 0, info: 0 }, read: { ok: 3, fail: 0, info: 0 } },
      readCount: 3,
      attemptCount: 1,
      stableCount: 0,
      lost: [
        {
          element: 7,
          outcome: "lost",
          known: { op: 1, time: 1 * ms },
          firstSeen: { op: 2, time: 2 * ms },
          lastSeen: { op: 2, time: 2 * ms },
          lastAbsent: { op: 6, time: 6 * ms },
          firstMissing: { op: 4, time: 4 * ms },
          missingReads: 2,
        },
      ],
      lostCount: 1,
      visibilityLatencyMs: { count: 1, min: 2, p50: 2, p90: 2, p99: 2, max: 2 },
      stableLatencyMs: noLatency,
    });
  });

  it("should call an element stale, not lost, when a read misses it and later reads see it again", () => {
    const h = history(
      [0, "invoke", "add", 3],
      [0, "ok", "add", 3],
      [1, "invoke", "read"],
      [1, "ok", "read", []],
      [1, "invoke", "read"],
      [1, "ok", "read", [3]],
    );
    const stale = {
      element: 3,
      outcome: "stable",
      known: { op: 1, time: 1 * ms },
      firstSeen: { op: 4, time: 4 * ms },
      lastSeen: { op: 4, time: 4 * ms },
      lastAbsent: { op: 2, time: 2 * ms },
      stableLatencyMs: 1,
    };
    expect(checkSetFull(h)).toEqual({
      valid: true,
      ...nothing,
      counts: { add: { ok: 1, fail: 0, info: 0 }, read: { ok: 2, fail: 0, info: 0 } },
      readCount: 2,
      attemptCount: 1,
      stableCount: 1,
      stale: [stale],
      staleCount: 1,
      visibilityLatencyMs: { count: 1, min: 4, p50: 4, p90: 4, p99: 4, max: 4 },
      stableLatencyMs: { count: 1, min: 1, p50: 1, p90: 1, p99: 1, max: 1 },
    });
    expect(checkSetFull(h, { linearizable: true })).toMatchObject({
      valid: false,
      anomalies: [
        {
          kind: "stale-read",
          explanation:
            "1 element(s) missed by a read that began after they were known (stale reads; not linearizable): 3 " +
            "(known since op 1 at 0.001 s; missed by op 2 at 0.002 s)",
          ops: [2],
          elements: [3],
        },
      ],
    });
  });

  it("should take an element as known from the first read that saw it, so a later read missing it is stale", () => {
    // The add never completes (info); read 1 sees 5 and completes; read 2 begins after that and misses it; read 3 sees it.
    const h = history(
      [0, "invoke", "add", 5],
      [1, "invoke", "read"],
      [1, "ok", "read", [5]],
      [2, "invoke", "read"],
      [2, "ok", "read", []],
      [2, "invoke", "read"],
      [2, "ok", "read", [5]],
    );
    expect(checkSetFull(h)).toMatchObject({
      valid: true,
      stableCount: 1,
      staleCount: 1,
      stale: [{ element: 5, known: { op: 2 }, lastAbsent: { op: 3 } }],
    });
  });

  it("should not count a read that began before the element was known as missing it", () => {
    const h = history(
      [1, "invoke", "read"],
      [0, "invoke", "add", 5],
      [0, "ok", "add", 5],
      [1, "ok", "read", []],
    );
    expect(checkSetFull(h)).toMatchObject({ valid: true, neverRead: [5], neverReadCount: 1, lostCount: 0 });
  });

  it("should report duplicates, failed adds that show up and unexpected elements", () => {
    const h = history(
      [0, "invoke", "add", 1],
      [0, "fail", "add", 1],
      [1, "invoke", "read"],
      [1, "ok", "read", [1, 9, 9, 9, 1]],
      [0, "invoke", "add", 8],
      [0, "ok", "add", 8],
    );
    const r = checkSetFull(h);
    expect(r).toMatchObject({
      valid: false,
      duplicated: [
        { element: 1, op: 2, copies: 2 },
        { element: 9, op: 2, copies: 3 },
      ],
      failedButPresent: [{ element: 1, op: 0, failedAt: 1, firstSeen: { op: 2, time: 2 * ms } }],
      unexpected: [{ element: 9, read: { op: 2, time: 2 * ms }, why: "never-added" }],
      neverRead: [8],
    });
    expect(r.valid === false && r.anomalies.map((a) => [a.kind, a.explanation])).toEqual([
      [
        "duplicated",
        "2 time(s) a read returned an element more than once: the read invoked as op 2 returned 1 2 times; " +
          "the read invoked as op 2 returned 9 3 times",
      ],
      [
        "failed-but-present",
        "1 element(s) read although every add of them failed: 1 (add op 0 failed at op 1; read by op 2 at 0.002 s)",
      ],
      [
        "unexpected",
        "1 element(s) returned by a read before any add of them had been invoked: 9 (never added; first returned by " +
          "the read invoked as op 2 at 0.002 s)",
      ],
    ]);
  });

  it("should call an element unexpected when a read returned it before its add was invoked", () => {
    const h = history(
      [1, "invoke", "read"],
      [1, "ok", "read", ["x"]],
      [0, "invoke", "add", "x"],
      [0, "ok", "add", "x"],
    );
    expect(checkSetFull(h)).toMatchObject({
      valid: false,
      unexpected: [{ element: "x", read: { op: 0 }, why: "added-later" }],
    });
  });

  it("should be unknown when adds were acknowledged but nothing was read", () => {
    const h = history([0, "invoke", "add", 1], [0, "ok", "add", 1]);
    expect(checkSetFull(h)).toMatchObject({
      valid: "unknown",
      reason: "the set was never read: no read op completed ok",
      neverRead: [1],
    });
  });

  it("should be unknown naming the op when a read's value is not an array", () => {
    expect(checkSetFull(history([1, "invoke", "read"], [1, "ok", "read", "abc"]))).toMatchObject({
      valid: "unknown",
      reason: 'op 1: a read\'s ok value must be an array of elements, got "abc"',
    });
  });

  it("should list every element's record when elementDetails is set", () => {
    const h = history(
      [0, "invoke", "add", "b"],
      [0, "ok", "add", "b"],
      [1, "invoke", "read"],
      [1, "ok", "read", ["b"]],
    );
    expect(checkSetFull(h, { elementDetails: true })).toMatchObject({
      elements: [
        {
          element: "b",
          outcome: "stable",
          known: { op: 1 },
          firstSeen: { op: 2 },
          lastSeen: { op: 2 },
          lastAbsent: null,
        },
      ],
    });
  });

  it("should handle elements of mixed types, large integers and objects", () => {
    const big = 2 ** 40;
    const h = history(
      [0, "invoke", "add", big],
      [0, "ok", "add", big],
      [0, "invoke", "add", { k: [1] }],
      [0, "ok", "add", { k: [1] }],
      [0, "invoke", "add", -4],
      [0, "ok", "add", -4],
      [1, "invoke", "read"],
      [1, "ok", "read", [{ k: [1] }, big]],
    );
    expect(checkSetFull(h)).toMatchObject({ valid: false, stableCount: 2, lost: [{ element: -4 }] });
  });
});
