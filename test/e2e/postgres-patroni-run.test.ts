import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  ensureBuilt,
  expectNothingLeft,
  flags,
  fullList,
  historyOps,
  readJson,
  runDirOf,
  runFaultline,
  tempStore,
} from "./support/spine-helpers.js";

beforeAll(() => ensureBuilt(), 120_000);

// One partition of the leader (5 s → 33 s: longer than Patroni's ttl of 20 s, so etcd's leader lock expires and
// a standby is promoted), the same schedule and seed in both modes. The run directory is made with mkdtemp (0700,
// root's): the store puts its node directories where the postgres user can reach them.
const RUN =
  "run --store postgres-patroni --workload set --nemesis partition-leader --time-limit 38s --nemesis-interval 5s " +
  "--partition-duration 28s --recovery-timeout 150s --seed 7";
const TTL_MS = 20_000;

/** The longest stretch (ms) of the run with no acknowledged client write. */
function longestWriteGapMs(ops: readonly Record<string, any>[]): number {
  const acks = ops.filter((o) => typeof o.process === "number" && o.type === "ok" && o.f === "add");
  let gap = 0;
  for (let i = 1; i < acks.length; i++) gap = Math.max(gap, (acks[i]!.time - acks[i - 1]!.time) / 1e6);
  return gap;
}

describe("faultline run --store postgres-patroni --nemesis partition-leader", () => {
  it("async: the isolated primary acknowledges commits until Patroni demotes it, and they are lost after failover", async () => {
    const store = tempStore("pg-async");
    const r = await runFaultline([...flags(RUN), "--replication", "async", "--store-dir", store], {
      timeoutMs: 420_000,
    });
    const dir = runDirOf(store);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain("verdict: INVALID");
    const config = readJson(join(dir, "config.json"));
    expect(config.store.kind).toBe("postgres-patroni");
    expect(config.run.cluster.leaderDiscovery).toMatch(/target_session_attrs=read-write/);

    const ops = historyOps(dir);
    const start = ops.find(
      (o) => o.process === "nemesis" && o.f === "start-partition-leader" && o.type === "ok",
    );
    const oldLeader = start!.value.leader as string;
    expect(["n1", "n2", "n3"]).toContain(oldLeader);
    // The proxy told the standbys', Patroni's and etcd's connections apart by their owner: the partition cut
    // the old leader from the other data nodes and from etcd.
    expect(start!.value.links).toEqual(expect.arrayContaining([`${oldLeader}->s1`]));

    const set = readJson(join(dir, "results.json")).results.set;
    expect(set.lostCount).toBeGreaterThan(0);
    const lost = fullList<{ element: number; ackedAt: number; ackedTime: number }>(dir, "set", "lost");
    expect(lost).toHaveLength(set.lostCount);
    const byIndex = new Map(ops.map((o) => [o.index, o]));
    for (const l of lost) {
      expect(byIndex.get(l.ackedAt)?.node).toBe(oldLeader);
      expect(l.ackedTime).toBeGreaterThanOrEqual(start!.time - 50e6);
    }
    // The loss window: from the partition to the last commit the isolated primary acknowledged. Patroni demotes
    // a primary that cannot renew its leader lock within ttl, so the window is shorter than ttl.
    const windowMs = (Math.max(...lost.map((l) => l.ackedTime)) - start!.time) / 1e6;
    console.log(
      `postgres-patroni async: ${lost.length} lost, loss window ${windowMs.toFixed(0)} ms (ttl 20 s)`,
    );
    expect(windowMs).toBeLessThan(TTL_MS);
    // A standby was promoted: the monitor saw Patroni's leader lock move.
    const leaders = ops.filter((o) => o.process === "monitor" && o.f === "leader").map((o) => o.value);
    expect(leaders.some((l) => l !== null && l !== oldLeader)).toBe(true);
    expect(ops.some((o) => o.f === "manager-event" && o.value.kind === "promoted")).toBe(true);
    await expectNothingLeft(dir);
  }, 480_000);

  it("sync-strict: the same schedule loses no acknowledged write; writes wait or fail while no standby is reachable", async () => {
    const store = tempStore("pg-sync-strict");
    const r = await runFaultline([...flags(RUN), "--replication", "sync-strict", "--store-dir", store], {
      timeoutMs: 420_000,
    });
    const dir = runDirOf(store);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("verdict: valid");
    const results = readJson(join(dir, "results.json"));
    expect(results.results.set.lostCount).toBe(0);
    const ops = historyOps(dir);
    // Writes were unavailable for a while (neither acknowledged by the cut-off primary nor anywhere else until
    // failover), and the ones tried meanwhile failed or are unknown rather than acknowledged.
    const gapMs = longestWriteGapMs(ops);
    console.log(
      `postgres-patroni sync-strict: longest stretch without an acknowledged write ${gapMs.toFixed(0)} ms`,
    );
    expect(gapMs).toBeGreaterThan(5_000);
    expect(
      ops.filter((o) => typeof o.process === "number" && o.type !== "ok" && o.type !== "invoke").length,
    ).toBeGreaterThan(0);
    await expectNothingLeft(dir);
  }, 480_000);
});
