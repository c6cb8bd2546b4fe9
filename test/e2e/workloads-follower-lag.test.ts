/**
 * follower-reads with latency on the follower→leader replication links on a real cluster, twice: driven through
 * the library (the workload, the monitor and the run loop of a real run, and a latency fault on the replication
 * links through the proxy, recorded in the history as a nemesis op), then through `faultline run --schedule` with
 * a latency window on the replication links.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runTagForThisProcess } from "../../core/backends/local/index.js";
import { withTimeout, type Client } from "../../core/clients/index.js";
import { canDelayLinks } from "../../core/cluster/index.js";
import { monotonicClock, sleep } from "../../core/clock/index.js";
import { openHistoryWriter } from "../../core/history/index.js";
import { startMonitor } from "../../stores/redis-sentinel/index.js";
import { createRandom } from "../../core/random/index.js";
import { redisSentinelCluster, type StartedRedisCluster } from "../../stores/redis-sentinel/index.js";
import { checkRunHistory, runFinalPhase, runWorkers } from "../../harness/runner/index.js";
import { followerReadsWorkload } from "../../workloads/index.js";
import { STORE } from "./support/nemesis-helpers.js";
import { ensureBuilt, tempStore } from "./support/spine-helpers.js";
import { nemesisOkTime, quantile, runWorkload } from "./support/workload-helpers.js";
import { redisClient } from "../../stores/redis-sentinel/index.js";

beforeAll(() => ensureBuilt(), 120_000);

const LATENCY_MS = 300;
const CLIENTS = ["c1", "c2", "c3", "c4", "c5"];

interface Sample {
  time: number;
  value: { leader: string | null; followers: Record<string, { lagBytes: number | null }> };
}

/** Staleness as the checker reports it (the fields these tests read). */
interface StalenessReport {
  byNode: Record<
    string,
    { reads: number; staleReads: number; versionsBehind: { max: number }; stalenessMs: { max: number } }
  >;
  violations: { kind: string; node?: string; time: number }[];
}

/**
 * What a run with the replication links slowed from `delayedAt` to `healedAt` (ns) must show: stale follower
 * reads, in whole versions and by up to the added latency, never a stale leader read, broken session guarantees
 * only on follower reads in that window, and replication-offset samples that find the followers behind.
 */
function expectLagShown(
  stalenessResult: unknown,
  splitBrain: unknown,
  ops: readonly { process: unknown; f: string; time: number; value?: unknown }[],
  delayedAt: number,
  healedAt: number,
): void {
  const staleness = stalenessResult as StalenessReport;
  const leader = "n1";
  const followers = ["n2", "n3"];
  // Reads at the leader are never stale (versions only grow there); reads at the slowed followers are, by
  // whole versions and by up to the added latency.
  expect(staleness.byNode[leader]!.reads).toBeGreaterThan(50);
  expect(staleness.byNode[leader]!.staleReads).toBe(0);
  const stale = followers.reduce((n, f) => n + (staleness.byNode[f]?.staleReads ?? 0), 0);
  expect(stale).toBeGreaterThan(20);
  const behind = Math.max(...followers.map((f) => staleness.byNode[f]?.versionsBehind.max ?? 0));
  const staleMs = Math.max(...followers.map((f) => staleness.byNode[f]?.stalenessMs.max ?? 0));
  expect(behind).toBeGreaterThanOrEqual(2);
  expect(staleMs).toBeGreaterThanOrEqual(100);
  // Any broken session guarantee is a follower read made while the links were slow (or just after).
  for (const v of staleness.violations) {
    expect(v.node, v.kind).not.toBe(leader);
    expect(v.time).toBeGreaterThanOrEqual(delayedAt);
    expect(v.time).toBeLessThanOrEqual(healedAt + 1e9);
  }
  expect((splitBrain as { valid: unknown }).valid).toBe(true);

  // The replication-offset samples show the lag: while the links were slow, nearly every sample finds each
  // follower behind (about 12 writes are always in flight: ~40 writes/s × 300 ms); before, they are level.
  const samples = ops.filter(
    (o) => o.process === "monitor" && o.f === "replication-positions",
  ) as unknown as Sample[];
  const lagOf = (s: Sample, f: string): number => s.value.followers[f]?.lagBytes ?? 0;
  const during = samples.filter((s) => s.time > delayedAt + 400e6 && s.time < healedAt);
  const before = samples.filter((s) => s.time < delayedAt);
  expect(during.length).toBeGreaterThanOrEqual(8);
  expect(before.length).toBeGreaterThanOrEqual(4);
  for (const f of followers) {
    const lagging = during.filter((s) => lagOf(s, f) > 0).length;
    expect(lagging / during.length, f).toBeGreaterThanOrEqual(0.8);
    expect(
      quantile(
        before.map((s) => lagOf(s, f)),
        0.5,
      ),
      f,
    ).toBe(0);
    expect(
      quantile(
        during.map((s) => lagOf(s, f)),
        0.5,
      ),
      f,
    ).toBeGreaterThan(200);
  }
  console.log(
    `follower reads: ${stale} stale of ${followers.reduce((n, f) => n + (staleness.byNode[f]?.reads ?? 0), 0)}; ` +
      `max ${behind} versions and ${staleMs.toFixed(0)} ms behind; session violations ${staleness.violations.length}; ` +
      `median lag while slowed n2 ${quantile(
        during.map((s) => lagOf(s, "n2")),
        0.5,
      )} B, n3 ${quantile(
        during.map((s) => lagOf(s, "n3")),
        0.5,
      )} B`,
  );
}

describe("follower-reads with latency on the replication links", () => {
  it("should measure stale follower reads, in versions and ms, and lag in the replication-offset samples", async () => {
    const dir = tempStore("follower-lag");
    const tag = runTagForThisProcess(`e2e-follower-lag/${process.pid}/${Date.now()}`, dir);
    const historyPath = join(dir, "history.jsonl");
    const workload = followerReadsWorkload();
    const clock = monotonicClock();
    const history = openHistoryWriter({ path: historyPath, clock });
    const cluster: StartedRedisCluster = await redisSentinelCluster({
      runDir: dir,
      tag,
      store: { ...STORE },
      clients: CLIENTS,
      network: "proxy",
    }).start();
    let delayedAt = 0;
    let healedAt = 0;
    try {
      const monitor = startMonitor(cluster, history);
      const makeClient = (name: string): Client =>
        withTimeout(
          redisClient({
            topology: {
              masterName: cluster.masterName,
              nodes: cluster.nodes,
              endpoints: cluster.clients.find((c) => c.name === name)!,
            },
            workload,
            commandTimeoutMs: 1000,
          }),
          1250,
        );
      const signal = new AbortController().signal;
      const end = clock.nowNs() + 11e9;
      const workers = runWorkers({
        workload,
        clientNames: CLIENTS,
        makeClient,
        history,
        random: createRandom(5).fork("workload"),
        rate: 100,
        shouldStop: () => clock.nowNs() >= end,
        signal,
      });
      // 3 s steady, then 5 s with every follower's replication link to the leader slowed, both ways.
      await sleep(3000);
      const leader = (await cluster.leader())!;
      const rules = cluster.nodes
        .filter((n) => n.role === "data" && n.name !== leader)
        .flatMap((n) =>
          (["downstream", "upstream"] as const).map((stream) => ({
            source: n.name,
            destination: leader,
            stream,
          })),
        );
      const value = {
        links: rules.map((r) => `${r.source}->${r.destination} ${r.stream}`),
        latencyMs: LATENCY_MS,
      };
      history.append({ process: "nemesis", type: "invoke", f: "start-latency-replication", value });
      if (!canDelayLinks(cluster)) throw new Error("the cluster cannot delay links");
      const slow = await cluster.delayLinks(rules, { latencyMs: LATENCY_MS });
      delayedAt = history.append({
        process: "nemesis",
        type: "ok",
        f: "start-latency-replication",
        value,
      }).time;
      await sleep(5000);
      history.append({ process: "nemesis", type: "invoke", f: "stop-latency-replication", value: null });
      await slow.heal();
      healedAt = history.append({
        process: "nemesis",
        type: "ok",
        f: "stop-latency-replication",
        value: null,
      }).time;
      const states = await workers;
      const final = await runFinalPhase({
        cluster,
        history,
        workload,
        makeClient,
        reader: states[0]!,
        concurrency: CLIENTS.length,
        recoveryTimeoutMs: 30_000,
        signal,
      });
      expect(final.readsDone, final.error).toBe(true);
      await monitor.stop();
    } finally {
      history.close();
      await cluster.stop();
    }

    const { verdict, history: ops } = await checkRunHistory(historyPath, workload.checkers);
    expectLagShown(verdict.results.staleness, verdict.results["split-brain"], ops, delayedAt, healedAt);
  });
  it("should report the same through faultline run with a latency window on the replication links", async () => {
    const dir = tempStore("follower-lag-cli");
    const schedule = join(dir, "schedule.json");
    writeFileSync(
      schedule,
      JSON.stringify({
        timeLimit: "11s",
        windows: [
          {
            start: "3s",
            duration: "5s",
            fault: "latency",
            target: "replication",
            params: { latency: `${LATENCY_MS}ms` },
          },
        ],
      }),
    );
    const run = await runWorkload(
      "follower-lag-cli",
      `--workload follower-reads --schedule ${schedule} --seed 3`,
    );
    expect(run.r.stdout).toContain("verdict:");
    const delayedAt = nemesisOkTime(run.ops, "start-latency-replication");
    const healedAt = nemesisOkTime(run.ops, "stop-latency-replication");
    const start = run.ops.find((o) => o.f === "start-latency-replication" && o.type === "ok")!;
    expect(start.value).toMatchObject({ links: ["n2->n1", "n3->n1"], attributes: { latency: LATENCY_MS } });
    const { staleness, "split-brain": splitBrain } = run.results.results;
    expectLagShown(staleness, splitBrain, run.ops as never, delayedAt, healedAt);
    // Reported: results.json carries the per-node staleness quantiles, and the verdict is the checkers'.
    expect(run.results.valid).toBe(staleness.valid);
    expect(run.r.code).toBe(staleness.valid === true ? 0 : 1);
    expect(readFileSync(join(run.dir, "report.html"), "utf8")).toContain("staleness");
  });
});
