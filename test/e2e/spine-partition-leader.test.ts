import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  ensureBuilt,
  expectNothingLeft,
  historyOps,
  readJson,
  runDirOf,
  flags,
  runFaultline,
  tempStore,
} from "./support/spine-helpers.js";

beforeAll(() => ensureBuilt(), 120_000);

describe("faultline run --nemesis partition-leader", () => {
  it("should report acknowledged writes lost to the isolated leader, exit 1, and leave nothing running", async () => {
    const store = tempStore("partition");
    const r = await runFaultline([
      ...flags(
        "run --nemesis partition-leader --time-limit 10s --nemesis-interval 2s --partition-duration 6s",
      ),
      ...flags("--seed 7"),
      "--store-dir",
      store,
    ]);
    const dir = runDirOf(store);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain("verdict: INVALID");
    expect(r.stdout).toContain(join(dir, "report.html").split("/").slice(-2).join("/"));
    // The live progress line (a plain line every 5 s off a terminal): at 5 s the partition (2 s → 8 s) is on.
    expect(r.stderr).toMatch(
      /^faultline: +5\.\ds \/ 10s {2}ok \d+ {2}fail \d+ {2}info \d+ {2}leader (?:n\d|\?) {2}faults partition-leader {2}applied 1\/1 {2}failed 0$/m,
    );

    // The run directory: the seed in config.json, and every node's log.
    expect(readJson(join(dir, "config.json")).seed).toBe(7);
    for (const log of [
      "n1/redis.log",
      "n3/redis.log",
      "s1/sentinel.log",
      "s3/sentinel.log",
      "proxy/proxy.log",
    ]) {
      expect(statSync(join(dir, "nodes", log)).size, log).toBeGreaterThan(0);
    }

    const results = readJson(join(dir, "results.json"));
    expect(results.valid).toBe(false);
    const set = results.results.set;
    expect(set.valid).toBe(false);
    expect(set.lostCount).toBeGreaterThan(0);
    // results.json keeps the first 100 (bounded lists); the whole list is streamed beside it.
    const spilled = results.lists?.set?.lost as { count: number; file: string } | undefined;
    const lost: { element: unknown; ackedAt: number; ackedTime: number }[] = spilled
      ? readFileSync(join(dir, spilled.file), "utf8")
          .trim()
          .split("\n")
          .map((line) => JSON.parse(line))
      : set.lost;
    expect(lost).toHaveLength(set.lostCount);
    expect(set.lost).toHaveLength(Math.min(set.lostCount, 100));
    for (const l of lost) expect(typeof l.element).toBe("number");

    // The partition is in the history with its resolved target, and the failover is seen by the monitor.
    const ops = historyOps(dir);
    const start = ops.find(
      (o) => o.process === "nemesis" && o.f === "start-partition-leader" && o.type === "ok",
    );
    expect(start?.value.leader).toBe("n1");
    expect(start?.value.withLeader[0]).toBe("n1");
    expect(start?.value.links).toContain("n2->n1");
    expect(
      ops.some((o) => o.process === "nemesis" && o.f === "stop-partition-leader" && o.type === "ok"),
    ).toBe(true);
    const leaders = ops.filter((o) => o.process === "monitor" && o.f === "leader").map((o) => o.value);
    expect(leaders[0]).toBe("n1");
    expect(leaders.some((l) => l !== "n1" && l !== null)).toBe(true);
    expect(ops.some((o) => o.f === "manager-event" && o.value.event === "+switch-master")).toBe(true);
    // The failover is explained by the cut: n1 answered the harness, and the proxy had the Sentinel's link cut.
    const evidence = ops.find((o) => o.process === "monitor" && o.f === "failover-evidence");
    expect(evidence?.value, JSON.stringify(evidence)).toMatchObject({
      leader: "n1",
      cause: "link-fault",
      leaderCheck: { answered: true },
    });
    expect(evidence!.value.proxy.faultsOnLink.join(" ")).toContain(`${evidence!.value.manager}->n1`);
    expect(results.failovers[0]).toMatchObject({ cause: "link-fault", unscheduled: false });
    // Every lost write was acknowledged by the isolated leader, while or after it was cut off.
    const startTime = ops.find((o) => o.process === "nemesis" && o.f === "start-partition-leader")!.time;
    const byIndex = new Map(ops.map((o) => [o.index, o]));
    for (const l of lost) {
      expect(byIndex.get(l.ackedAt)?.node).toBe("n1");
      expect(l.ackedTime).toBeGreaterThanOrEqual(startTime - 50e6);
    }

    // The report shows the partition window and the failover.
    const html = readFileSync(join(dir, "report.html"), "utf8");
    expect(html).toContain("INVALID");
    // The window, from start to heal, and the fault in words.
    expect(html).toMatch(
      /partition-leader(?: #\d+)? \d+\.\d{3} s – \d+\.\d{3} s: partitioned n1 \(the leader\)/,
    );
    expect(html).toMatch(/<li>\d+\.\d{3} s → n[23]<\/li>/); // the failover managers named a new leader
    expect(html).toContain("+switch-master");
    // Self-contained: scripts only by hash, no fetch of anything (the browser test opens it for real).
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/\b(?:src|href)\s*=\s*["']?(?:https?:)?\/\//);

    await expectNothingLeft(dir);
  });
});
