import { describe, expect, it } from "vitest";
import { checkStaleness } from "../../checkers/staleness/index.js";
import type { Row } from "./support/build-history.js";
import { history } from "./support/build-history.js";

const w = (p: number, type: "invoke" | "ok" | "info" | "fail", v: number, key = "x"): Row => [
  p,
  type,
  "write",
  v,
  { key },
];
const r = (p: number, type: "invoke" | "ok", v: number | null, node: string, key = "x"): Row => [
  p,
  type,
  "read",
  type === "invoke" ? null : v,
  { key, node },
];
const q = (count: number, value: number | null) =>
  count === 0
    ? { count: 0, min: null, p50: null, p90: null, p99: null, max: null }
    : { count, min: value, p50: value, p90: value, p99: value, max: value };

describe("checkStaleness", () => {
  it("should measure staleness overall and per node when sessions are monotonic", () => {
    const h = history(
      w(0, "invoke", 1),
      w(0, "ok", 1), // 1 ms
      w(0, "invoke", 2),
      w(0, "ok", 2), // 3 ms
      r(1, "invoke", null, "n2"), // 4 ms: newest acknowledged is 2
      r(1, "ok", 1, "n2"), // read 1: one version behind, superseded at 3 ms → 1 ms stale
      r(1, "invoke", null, "n1"),
      r(1, "ok", 2, "n1"),
    );
    expect(checkStaleness(h)).toEqual({
      valid: true,
      counts: { read: { ok: 2, fail: 0, info: 0 }, write: { ok: 2, fail: 0, info: 0 } },
      keyCount: 1,
      sessionCount: 1,
      overall: {
        reads: 2,
        staleReads: 1,
        versionsBehind: { count: 2, min: 0, p50: 0, p90: 1, p99: 1, max: 1 },
        stalenessMs: { count: 2, min: 0, p50: 0, p90: 1, p99: 1, max: 1 },
      },
      byNode: {
        n1: { reads: 1, staleReads: 0, versionsBehind: q(1, 0), stalenessMs: q(1, 0) },
        n2: { reads: 1, staleReads: 1, versionsBehind: q(1, 1), stalenessMs: q(1, 1) },
      },
      violations: [],
      monotonicReadViolations: 0,
      readYourWritesViolations: 0,
      unwrittenReads: 0,
      boundViolations: 0,
    });
  });

  it("should report a monotonic-reads violation naming both reads when a session goes back in time", () => {
    const h = history(
      w(0, "invoke", 1),
      w(0, "ok", 1),
      w(0, "invoke", 2),
      w(0, "ok", 2),
      r(1, "invoke", null, "n1"),
      r(1, "ok", 2, "n1"),
      r(1, "invoke", null, "n3"),
      r(1, "ok", 1, "n3"),
    );
    const res = checkStaleness(h);
    expect(res).toMatchObject({
      valid: false,
      anomalies: [
        {
          kind: "monotonic-reads",
          explanation:
            'session 1\'s read of key "x" invoked as op 6 at 0.006 s (served by n3) returned version 1, older than ' +
            "the version 2 its earlier read (op 4) returned: version 1 was acknowledged before version 2 was even " +
            "written, so the session went back in time (monotonic reads broken)",
          ops: [4, 6],
        },
      ],
      monotonicReadViolations: 1,
      violations: [
        {
          kind: "monotonic-reads",
          key: "x",
          process: 1,
          op: 6,
          time: 6_000_000,
          version: 1,
          node: "n3",
          earlier: { op: 4, version: 2 },
        },
      ],
    });
  });

  it("should report read-your-writes when a session misses its own acknowledged write", () => {
    const h = history(w(1, "invoke", 1), w(1, "ok", 1), r(1, "invoke", null, "n2"), r(1, "ok", null, "n2"));
    expect(checkStaleness(h)).toMatchObject({
      valid: false,
      anomalies: [
        {
          kind: "read-your-writes",
          explanation:
            'session 1\'s read of key "x" invoked as op 2 at 0.002 s (served by n2) returned nothing (null), although ' +
            "the session had itself written version 1 (op 0, acknowledged), which certainly follows nothing (null) " +
            "(read-your-writes broken)",
          ops: [0, 2],
        },
      ],
      readYourWritesViolations: 1,
      monotonicReadViolations: 0,
    });
  });

  it("should not flag a return to a version whose order is uncertain (an info write, or concurrent writes)", () => {
    const h = history(
      w(0, "invoke", 1),
      w(2, "invoke", 2),
      w(0, "info", 1),
      w(2, "ok", 2),
      r(1, "invoke", null, "n1"),
      r(1, "ok", 2, "n1"),
      r(1, "invoke", null, "n2"),
      r(1, "ok", 1, "n2"),
    );
    expect(checkStaleness(h)).toMatchObject({ valid: true, overall: { staleReads: 1 } });
  });

  it("should report a read of a version never written, written later, or whose write failed", () => {
    const h = history(
      r(1, "invoke", null, "n1"),
      r(1, "ok", 5, "n1"),
      w(0, "invoke", 1),
      w(0, "fail", 1),
      r(2, "invoke", null, "n1"),
      r(2, "ok", 1, "n1"),
    );
    const res = checkStaleness(h);
    expect(res).toMatchObject({ valid: false, unwrittenReads: 2 });
    expect(res.valid === false && res.anomalies[0].explanation).toBe(
      'session 1\'s read of key "x" invoked as op 0 at 0.000 s (served by n1) returned version 5, which no write had ' +
        "produced by then (never written, written later, or failed)",
    );
  });

  it("should make staleness beyond a bound an anomaly, and only then", () => {
    const h = history(
      w(0, "invoke", 1),
      w(0, "ok", 1),
      w(0, "invoke", 2),
      w(0, "ok", 2),
      w(0, "invoke", 3),
      w(0, "ok", 3),
      r(1, "invoke", null, "n2"),
      r(1, "ok", 1, "n2"),
    );
    expect(checkStaleness(h).valid).toBe(true);
    expect(checkStaleness(h, { maxVersionsBehind: 2 }).valid).toBe(true);
    expect(checkStaleness(h, { maxVersionsBehind: 1 })).toMatchObject({
      valid: false,
      boundViolations: 1,
      anomalies: [
        {
          kind: "staleness-bound",
          explanation:
            'session 1\'s read of key "x" invoked as op 6 at 0.006 s (served by n2) returned version 1, 2 version(s) ' +
            "behind and stale by 3 ms; the bound is at most 1 versions behind",
        },
      ],
    });
    expect(checkStaleness(h, { maxStalenessMs: 2.5 })).toMatchObject({ valid: false, boundViolations: 1 });
  });

  it("should keep sessions and keys apart", () => {
    const h = history(
      w(0, "invoke", 1, "a"),
      w(0, "ok", 1, "a"),
      r(1, "invoke", null, "n1", "a"),
      r(1, "ok", 1, "n1", "a"),
      r(2, "invoke", null, "n2", "a"),
      r(2, "ok", null, "n2", "a"),
      r(1, "invoke", null, "n2", "b"),
      r(1, "ok", null, "n2", "b"),
    );
    expect(checkStaleness(h)).toMatchObject({ valid: true, keyCount: 2, sessionCount: 2 });
  });

  it("should be unknown with the reason when the workload contract is broken", () => {
    expect(
      checkStaleness(history(w(0, "invoke", 1), w(0, "ok", 1), w(0, "invoke", 1), w(0, "ok", 1))),
    ).toMatchObject({
      valid: "unknown",
      reason: 'key "x": version 1 is written twice (ops 0 and 2); versions must be unique',
    });
    expect(
      checkStaleness(history(w(0, "invoke", 2), w(0, "ok", 2), w(0, "invoke", 1), w(0, "ok", 1))),
    ).toMatchObject({
      valid: "unknown",
      reason:
        'key "x": version 1 (op 2) was written after version 2 had been acknowledged; versions must increase in ' +
        "real-time order",
    });
    expect(
      checkStaleness(history(r(1, "invoke", null, "n1"), r(1, "ok", "abc" as never, "n1"))),
    ).toMatchObject({
      valid: "unknown",
      reason: 'op 1: a read\'s ok value must be a version ≥ 1 or null, got "abc"',
    });
  });
});
