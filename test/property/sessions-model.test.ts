import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Op, PairedOp } from "../../checkers/history/index.js";
import { pairOps, validateHistory } from "../../checkers/history/index.js";
import { checkStaleness } from "../../checkers/staleness/index.js";
import type { Choices, Session, SimOp } from "./support/simulate.js";
import { choices, simulate } from "./support/simulate.js";

/** A leader (n1) and two followers replicating its log with random lag. */
interface Cluster {
  log: { key: string; version: number }[];
  applied: Record<string, number>;
  next: Record<string, number>;
}

const KEYS = ["a", "b"];
const NODES = ["n1", "n2", "n3"];

function versionAt(c: Cluster, node: string, key: string): number {
  const upto = node === "n1" ? c.log.length : c.applied[node];
  for (let i = upto - 1; i >= 0; i--) if (c.log[i].key === key) return c.log[i].version;
  return 0;
}

function replicate(c: Cluster, pick: (n: number) => number): void {
  for (const n of ["n2", "n3"]) c.applied[n] = Math.min(c.log.length, c.applied[n] + pick(3));
}

/**
 * A per-key versioned register: worker 0 writes key a, worker 1 key b (versions 1, 2, 3, … through the leader);
 * every worker reads random keys from random nodes, lagging followers included. A client keeps its session
 * guarantees the usual way: when the node it asked is behind what the session has read or written, it reads from the
 * leader instead.
 */
function sessionsRun(c: Choices): Op[] {
  const cluster: Cluster = { log: [], applied: { n2: 0, n3: 0 }, next: { a: 1, b: 1 } };
  const read = (key: string): SimOp<Cluster> => {
    const op: SimOp<Cluster> = {
      f: "read",
      key,
      value: null,
      apply: (s: Cluster, session: Session, pick) => {
        replicate(s, pick);
        const floor = session.floors.get(key) ?? 0;
        let node = NODES[pick(3)];
        if (versionAt(s, node, key) < floor) node = "n1";
        const v = versionAt(s, node, key);
        session.floors.set(key, Math.max(floor, v));
        op.node = node;
        return v === 0 ? null : v;
      },
    };
    return op;
  };
  const { history } = simulate(c, cluster, 2 + (c[0] % 4), (slot, pick) => {
    if (slot < KEYS.length && pick(2) === 0) {
      const key = KEYS[slot];
      const v = cluster.next[key]++;
      const op: SimOp<Cluster> = {
        f: "write",
        key,
        value: v,
        node: "n1",
        apply: (s, session, p) => {
          s.log.push({ key, version: v });
          session.floors.set(key, Math.max(session.floors.get(key) ?? 0, v));
          replicate(s, p);
          return v;
        },
      };
      return op;
    }
    return read(KEYS[pick(KEYS.length)]);
  });
  return history;
}

const okWritesBefore = (pairs: PairedOp[], key: string, index: number): number[] =>
  pairs
    .filter((p) => p.f === "write" && p.key === key && p.type === "ok" && p.end < index)
    .map((p) => p.value as number);

describe("checkStaleness on lagging followers with session-keeping clients", () => {
  // 3,000 valid histories (see set-model.test.ts for the 10,000 total).
  it("should find every history valid and measure staleness (3,000 histories, no false positive)", () => {
    let stale = 0;
    fc.assert(
      fc.property(choices(), (c) => {
        const h = sessionsRun(c);
        validateHistory(h);
        const r = checkStaleness(h);
        expect(r.valid, JSON.stringify(r.valid === false ? r.anomalies : r)).toBe(true);
        stale += r.overall.staleReads;
      }),
      { numRuns: 3000 },
    );
    expect(stale).toBeGreaterThan(0); // the followers really lagged
  });

  it("should name monotonic-reads when a later read of a session returns a version older than an earlier one", () => {
    fc.assert(
      fc.property(choices(), fc.nat(), fc.nat(), (c, k, j) => {
        const h = sessionsRun(c).map((o) => ({ ...o }));
        const pairs = pairOps(h);
        const reads = pairs.filter((p) => p.f === "read" && p.type === "ok");
        // An earlier read r1 of version v1 ≥ 1, and a later read r2 of the same key in the same session.
        const candidates = reads.flatMap((r1) =>
          r1.value === null
            ? []
            : reads
                .filter((r2) => r2.process === r1.process && r2.key === r1.key && r2.start > r1.end)
                .map((r2) => [r1, r2]),
        );
        fc.pre(candidates.length > 0);
        const [r1, r2] = candidates[k % candidates.length];
        const w1 = pairs.find((p) => p.f === "write" && p.key === r1.key && p.value === r1.value)!;
        const older = okWritesBefore(pairs, r1.key!, w1.start);
        const v0 = [null, ...older][j % (older.length + 1)];
        r2.completion!.value = v0;
        const r = checkStaleness(h);
        expect(r.valid).toBe(false);
        expect(r.valid === false && r.anomalies.map((a) => a.kind)).toContain("monotonic-reads");
        expect(r.violations).toContainEqual(
          expect.objectContaining({ kind: "monotonic-reads", op: r2.start, version: v0 ?? 0 }),
        );
      }),
      { numRuns: 1000 },
    );
  });

  it("should name read-your-writes when a session's read misses the session's own acknowledged write", () => {
    fc.assert(
      fc.property(choices(), fc.nat(), fc.nat(), (c, k, j) => {
        const h = sessionsRun(c).map((o) => ({ ...o }));
        const pairs = pairOps(h);
        const candidates = pairs.flatMap((w) =>
          w.f === "write" && w.type === "ok"
            ? pairs
                .filter(
                  (r) =>
                    r.f === "read" &&
                    r.type === "ok" &&
                    r.process === w.process &&
                    r.key === w.key &&
                    r.start > w.end,
                )
                .map((r) => [w, r])
            : [],
        );
        fc.pre(candidates.length > 0);
        const [w, r2] = candidates[k % candidates.length];
        const older = okWritesBefore(pairs, w.key!, w.start);
        const v0 = [null, ...older][j % (older.length + 1)];
        r2.completion!.value = v0;
        const r = checkStaleness(h);
        expect(r.valid).toBe(false);
        expect(r.valid === false && r.anomalies.map((a) => a.kind)).toContain("read-your-writes");
        expect(r.violations).toContainEqual(
          expect.objectContaining({
            kind: "read-your-writes",
            op: r2.start,
            version: v0 ?? 0,
            earlier: expect.anything(),
          }),
        );
      }),
      { numRuns: 1000 },
    );
  });
});
