import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt } from "./support/spine-helpers.js";
import { clientOps, runWorkload } from "./support/workload-helpers.js";

beforeAll(() => ensureBuilt(), 120_000);

/** 8 s at the default 100 ops/s over 5 processes: about 800 ops per run. */
const RUN = "--time-limit 8s --seed 11";

describe("faultline run --workload <name> with no faults", () => {
  it("set: valid under set and set-full, over hundreds of adds and dozens of whole-set reads", async () => {
    const run = await runWorkload("wl-set", `--workload set ${RUN}`);
    expect(run.r.code, run.r.stderr).toBe(0);
    const { set, "set-full": full } = run.results.results;
    expect([set.valid, full.valid]).toEqual([true, true]);
    expect(set.counts.add.ok).toBeGreaterThan(400);
    expect(set.counts.read.ok).toBeGreaterThan(40);
    expect(set.acknowledgedCount).toBe(set.counts.add.ok);
    // set-full judged every element against every read: all acknowledged adds are stable, none stale or lost.
    expect(full.stableCount).toBe(set.counts.add.ok);
    expect([full.lostCount, full.staleCount]).toEqual([0, 0]);
    expect(run.config.checkers.map((c: { name: string }) => c.name)).toEqual(["set", "set-full"]);
  });

  it("register: linearizable (cas-register) over hundreds of reads, writes and compare-and-sets on 3 keys", async () => {
    const run = await runWorkload("wl-register", `--workload register ${RUN}`);
    expect(run.r.code, run.r.stderr).toBe(0);
    const lin = run.results.results.linearizable;
    expect(lin.valid).toBe(true);
    expect(lin.model).toBe("cas-register");
    expect(lin.keyCount).toBe(3);
    expect(lin.ops).toBeGreaterThan(500);
    const ops = clientOps(run.ops);
    for (const f of ["read", "write", "cas"]) {
      expect(ops.filter((o) => o.f === f && o.type === "ok").length, f).toBeGreaterThan(100);
    }
  });

  it("list-append: strict-serializable over hundreds of MULTI/EXEC transactions", async () => {
    const run = await runWorkload("wl-list-append", `--workload list-append ${RUN}`);
    expect(run.r.code, run.r.stderr).toBe(0);
    const la = run.results.results["list-append"];
    expect(la.valid).toBe(true);
    expect(la.txns.ok).toBeGreaterThan(500);
    const txns = clientOps(run.ops).filter((o) => o.type === "ok");
    const reads = txns.flatMap((t) =>
      (t.value as [string, number, number[] | null][]).filter((m) => m[0] === "r"),
    );
    // Reads came back filled, and some saw lists that earlier transactions appended to.
    expect(reads.every((m) => Array.isArray(m[2]))).toBe(true);
    expect(reads.filter((m) => m[2]!.length > 3).length).toBeGreaterThan(50);
  });

  it("counter: every read within its bounds, over hundreds of INCRBY and reads", async () => {
    const run = await runWorkload("wl-counter", `--workload counter ${RUN}`);
    expect(run.r.code, run.r.stderr).toBe(0);
    const counter = run.results.results.counter;
    expect(counter.valid).toBe(true);
    expect(counter.counts.incr.ok).toBeGreaterThan(300);
    expect(counter.counts.read.ok).toBeGreaterThan(100);
    // With no fault nothing is lost: the final read is the sum of every acknowledged increment.
    const ops = clientOps(run.ops);
    const sum = ops
      .filter((o) => o.f === "incr" && o.type === "ok")
      .reduce((n, o) => n + (o.value as number), 0);
    expect(ops.at(-1)!.value).toBe(sum);
  });

  it("follower-reads: session guarantees kept, reads measured per node on the leader and both followers", async () => {
    const run = await runWorkload("wl-follower-reads", `--workload follower-reads ${RUN}`);
    expect(run.r.code, run.r.stderr).toBe(0);
    const { staleness, "split-brain": splitBrain } = run.results.results;
    expect([staleness.valid, splitBrain.valid]).toEqual([true, true]);
    expect(staleness.overall.reads).toBeGreaterThan(300);
    expect(staleness.sessionCount).toBeGreaterThanOrEqual(5);
    expect(Object.keys(staleness.byNode).sort()).toEqual(["n1", "n2", "n3"]);
    for (const n of ["n2", "n3"]) expect(staleness.byNode[n].reads, n).toBeGreaterThan(30);
    expect(splitBrain.ackCount).toBeGreaterThan(150);
    // The monitor sampled replication offsets throughout.
    const samples = run.ops.filter((o) => o.process === "monitor" && o.f === "replication-positions");
    expect(samples.length).toBeGreaterThan(10);
    expect(Object.keys(samples.at(-1)!.value.followers).sort()).toEqual(["n2", "n3"]);
  });
});
