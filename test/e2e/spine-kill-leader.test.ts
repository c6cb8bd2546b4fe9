import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  ensureBuilt,
  expectFailoverAfter,
  expectNothingLeft,
  historyOps,
  readJson,
  runDirOf,
  flags,
  runFaultline,
  tempStore,
} from "./support/spine-helpers.js";

beforeAll(() => ensureBuilt(), 120_000);

describe("faultline run --nemesis kill-leader", () => {
  it("should record the failover, keep clients writing to the new leader, and end with every process gone", async () => {
    const store = tempStore("kill");
    const r = await runFaultline([
      ...flags(
        "run --nemesis kill-leader --time-limit 10s --nemesis-interval 2s --restart-delay 5s --seed 11",
      ),
      "--store-dir",
      store,
    ]);
    const dir = runDirOf(store);
    // Whether a plain SIGKILL loses anything depends on replication lag (usually none on loopback, spec §3.1);
    // what must hold is a decided verdict.
    expect([0, 1], r.stderr).toContain(r.code);
    const ops = historyOps(dir);

    // The nemesis killed the leader the failover managers named, with its pid, and restarted it later.
    const kill = ops.find((o) => o.process === "nemesis" && o.f === "start-kill-leader" && o.type === "ok");
    expect(kill?.value).toMatchObject({ node: "n1", signal: "SIGKILL" });
    expect(kill?.value.pid).toBeGreaterThan(0);
    const restart = ops.find((o) => o.process === "nemesis" && o.f === "stop-kill-leader" && o.type === "ok");
    expect(restart?.value).toMatchObject({ node: "n1", restarted: true });
    expect(restart!.time).toBeGreaterThan(kill!.time);

    // The monitor recorded the failover to a new leader, and clients carried on writing to it.
    const change = expectFailoverAfter(ops, kill!.time);
    // The final read came from the new leader and the checker saw it.
    const results = readJson(join(dir, "results.json"));
    expect(results.results.set.finalRead).not.toBeNull();
    // Every failover explained: the Sentinel that started it declared n1 down while the harness could not reach
    // n1 either; each Sentinel's view, the votes and the proxy's side are in the evidence, and results.json and
    // the report say it in one line.
    const evidence = ops.filter((o) => o.process === "monitor" && o.f === "failover-evidence");
    expect(evidence.length, JSON.stringify(evidence)).toBeGreaterThan(0);
    const first = evidence[0]!.value;
    expect(first).toMatchObject({ leader: "n1", cause: "leader-down", leaderCheck: { answered: false } });
    expect(Object.keys(first.managers).sort()).toEqual(["s1", "s2", "s3"]);
    expect(first.managers[first.manager]).toMatchObject({
      watching: "n1",
      suspectsDown: true,
      downAfterMs: 1000,
    });
    expect(first.managers[first.manager].lastOkCheckMsAgo).toBeGreaterThanOrEqual(1000);
    expect(first.votes[first.manager]).toBe(first.manager);
    expect(first.proxy).toMatchObject({ faults: [], faultsOnLink: [] });
    expect(typeof first.proxy.connections).toBe("number");
    expect(results.failovers[0]).toMatchObject({ leader: "n1", cause: "leader-down", unscheduled: false });
    const html = readFileSync(join(dir, "report.html"), "utf8");
    expect(html).toContain("Failovers, explained");
    expect(html).toContain(`${first.manager} declared n1 down`);

    // The run recovered with the leader the managers named last: the first failover's (`change`), or, when the
    // schedule's second kill (at about 9 s of 10) replaced that one before the final phase, its successor.
    const named = ops.filter((o) => o.process === "monitor" && o.f === "leader" && o.value !== null);
    expect(named.map((o) => o.value)).toContain(change!.value);
    expect(results.final.leader).toBe(named.at(-1)!.value);

    await expectNothingLeft(dir);
  });
});
