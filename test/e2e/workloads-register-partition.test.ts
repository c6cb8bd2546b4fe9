import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, fullList } from "./support/spine-helpers.js";
import { clientOps, nemesisOkTime, runWorkload } from "./support/workload-helpers.js";

beforeAll(() => ensureBuilt(), 120_000);

/**
 * One partition from 2 s to 8 s: the leader and two of the five clients on one side. Spec §3.3: the majority
 * promotes a follower about 2 s into the partition, so for about 4 s two leaders acknowledge reads, writes and
 * compare-and-sets on the same 3 keys (about 40 ops/s on the old side, 60 on the new); after the heal the old
 * leader's writes are discarded. Each side's reads follow its own writes, which no single order explains.
 */
const ARGS =
  "--workload register --nemesis partition-leader --time-limit 10s --nemesis-interval 2s --partition-duration 6s --seed 7";

describe("faultline run --workload register --nemesis partition-leader", () => {
  it("should report a linearizability violation whose explanation names the op and its linearizable prefix", async () => {
    const run = await runWorkload("wl-register-partition", ARGS);
    expect(run.r.code, run.r.stderr).toBe(1);
    expect(run.r.stdout).toContain("verdict: INVALID");
    const lin = run.results.results.linearizable;
    expect(lin.valid).toBe(false);
    const [anomaly] = lin.anomalies as { kind: string; explanation: string; ops: number[]; key: string }[];
    const cx = lin.counterexample as {
      key: string;
      op: { index: number; completionIndex: number | null; process: number; f: string; description: string };
      prefix: { op: { index: number; f: string; key: string } }[] | null;
      stateBefore: string | null;
    };
    expect(anomaly!.kind).toBe("nonlinearizable");
    expect(anomaly!.key).toBe(cx.key);
    expect(anomaly!.ops).toEqual([cx.op.index]);

    // The explanation names the op that cannot be linearized, its process, and the ops of the prefix before it.
    const byIndex = new Map(run.ops.map((o) => [o.index as number, o]));
    const invoke = byIndex.get(cx.op.index)!;
    expect([invoke.type, invoke.f, invoke.key, invoke.process]).toEqual([
      "invoke",
      cx.op.f,
      cx.key,
      cx.op.process,
    ]);
    expect(anomaly!.explanation).toContain(`On key "${cx.key}"`);
    expect(anomaly!.explanation).toContain(
      `${cx.op.description} — op ${cx.op.index} (process ${cx.op.process}`,
    );
    expect(cx.prefix).not.toBeNull();
    const named = [...anomaly!.explanation.matchAll(/\[op (\d+)\]/g)].map((m) => Number(m[1]));
    expect(named.length).toBeGreaterThan(0);
    // results.json keeps the prefix's first 100 steps; the whole prefix is streamed beside it.
    const prefix = fullList<{ op: { index: number } }>(run.dir, "linearizable", "counterexample.prefix");
    expect(prefix.length).toBeGreaterThanOrEqual(cx.prefix!.length);
    for (const i of named) {
      expect(byIndex.get(i)?.key, `op ${i}`).toBe(cx.key);
      expect(
        prefix.some((s) => s.op.index === i),
        `op ${i} in the prefix`,
      ).toBe(true);
    }

    // What the history shows: the op completed after the partition began, and on that key two different nodes
    // acknowledged ops while the partition lasted — the old leader n1 and the one the majority promoted.
    const startNs = nemesisOkTime(run.ops, "start-partition-leader");
    const healNs = nemesisOkTime(run.ops, "stop-partition-leader");
    const completion = cx.op.completionIndex === null ? undefined : byIndex.get(cx.op.completionIndex);
    expect(completion?.time ?? Infinity).toBeGreaterThan(startNs);
    const servers = new Set(
      clientOps(run.ops)
        .filter((o) => o.key === cx.key && o.type === "ok" && o.end > startNs && o.end < healNs)
        .map((o) => o.node),
    );
    expect(servers.has("n1")).toBe(true);
    expect([...servers].some((n) => n === "n2" || n === "n3")).toBe(true);
  });
});
