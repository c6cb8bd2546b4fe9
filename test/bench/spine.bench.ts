/**
 * `npm run bench -- spine`: the spine on real processes — cluster start to ready, kill to the first acknowledged
 * write on the new leader, the harness's throughput without faults against `redis-benchmark` at the same
 * concurrency on the same cluster, and what recording the history costs.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { noopClient, withTimeout } from "../../core/clients/index.js";
import { monotonicClock, sleep } from "../../core/clock/index.js";
import { openHistoryWriter, type HistoryWriter } from "../../core/history/index.js";
import { startMonitor } from "../../stores/redis-sentinel/index.js";
import { createRandom } from "../../core/random/index.js";
import type { StartedRedisCluster, StartPhase } from "../../stores/redis-sentinel/index.js";
import { runWorkers } from "../../harness/runner/index.js";
import { setWorkload } from "../../workloads/index.js";
import { benchClientFactory, clientNames, redisBenchmarkRate, withBenchCluster } from "./bench-cluster.js";
import { fmt, loadAverage, median } from "./bench-stats.js";
import type { BenchContext } from "./run.js";

export const description =
  "The spine on a real Redis + Sentinel cluster: start to ready (target ≤ 3 s), SIGKILL of the leader to the first " +
  "acknowledged write on the new leader, harness throughput without faults as a ratio to redis-benchmark at the " +
  "same concurrency on the same cluster, and the cost of recording the history.";

/** Prefix of the suite's run directories and run tags. */
const LABEL = "bench";

/** Drives the set workload at full speed for `ms`: acknowledged ops per second, and the harness's CPU µs per op. */
async function harnessRate(
  cluster: StartedRedisCluster,
  history: HistoryWriter,
  ms: number,
): Promise<{ rate: number; cpuUsPerOp: number }> {
  const clock = monotonicClock();
  const end = clock.nowNs() + ms * 1e6;
  let ok = 0;
  const off = history.subscribe((op) => {
    if (op.type === "ok") ok++;
  });
  const t0 = clock.nowNs();
  const cpu0 = process.cpuUsage();
  await runWorkers({
    workload: setWorkload(),
    clientNames: cluster.clients.map((c) => c.name),
    makeClient: benchClientFactory(cluster, setWorkload()),
    history,
    random: createRandom(1),
    rate: 0,
    shouldStop: () => clock.nowNs() >= end,
    signal: new AbortController().signal,
  });
  const cpu = process.cpuUsage(cpu0);
  off();
  return { rate: ok / ((clock.nowNs() - t0) / 1e9), cpuUsPerOp: (cpu.user + cpu.system) / Math.max(1, ok) };
}

/**
 * Warms up (1 s, unmeasured: the first seconds run cold JIT code), then alternates 2 s rounds with the history in
 * memory and on disk (the default writer), three of each; returns the median of each.
 */
async function harnessRates(cluster: StartedRedisCluster): Promise<{
  memory: { rate: number; cpuUsPerOp: number };
  disk: { rate: number; cpuUsPerOp: number };
}> {
  await harnessRate(cluster, openHistoryWriter({ clock: monotonicClock() }), 1000);
  const dir = mkdtempSync(join(tmpdir(), "faultline-bench-h-"));
  const memory: { rate: number; cpuUsPerOp: number }[] = [];
  const disk: { rate: number; cpuUsPerOp: number }[] = [];
  for (let round = 0; round < 3; round++) {
    memory.push(await harnessRate(cluster, openHistoryWriter({ clock: monotonicClock() }), 2000));
    const h = openHistoryWriter({ path: join(dir, "history.jsonl"), clock: monotonicClock() });
    disk.push(await harnessRate(cluster, h, 2000));
    h.close();
  }
  rmSync(dir, { recursive: true, force: true });
  const med = (xs: { rate: number; cpuUsPerOp: number }[]) => ({
    rate: median(xs.map((x) => x.rate)),
    cpuUsPerOp: median(xs.map((x) => x.cpuUsPerOp)),
  });
  return { memory: med(memory), disk: med(disk) };
}

async function startToReady(ctx: BenchContext): Promise<void> {
  const rows: (string | number)[][] = [];
  for (const network of ["proxy", "direct"] as const) {
    const total: number[] = [];
    const phases = new Map<StartPhase, number[]>();
    for (let i = 0; i < (network === "proxy" ? 5 : 3); i++) {
      await withBenchCluster(
        {
          label: LABEL,
          network,
          clients: clientNames(5),
          onPhase: (p, ms) => phases.set(p, [...(phases.get(p) ?? []), ms]),
        },
        async (c) => void total.push(c.readyMs),
      );
    }
    const ph = (p: StartPhase): string => (phases.has(p) ? fmt(median(phases.get(p)!)) : "—");
    rows.push([
      network,
      total.length,
      fmt(Math.min(...total)),
      fmt(median(total)),
      fmt(Math.max(...total)),
      ph("proxy"),
      ph("data-nodes"),
      ph("network"),
      ph("failover-managers"),
    ]);
  }
  ctx.table(
    "Cluster start to ready (1 leader, 2 followers, 3 Sentinels, 5 clients' listeners; ready = leader writable, followers online, every Sentinel sees every follower and peer)",
    [
      "network",
      "starts",
      "min ms",
      "median ms",
      "max ms",
      "median ms at: proxy up",
      "data nodes up",
      "proxy wired",
      "Sentinels up",
    ],
    rows,
  );
  ctx.note(`Target ≤ 3 s. Load average during the suite: ${loadAverage()}.`);
}

async function killToFirstWrite(ctx: BenchContext): Promise<void> {
  const rows: (string | number)[][] = [];
  for (let trial = 1; trial <= 3; trial++) {
    await withBenchCluster({ label: LABEL, network: "proxy", clients: clientNames(5) }, async (cluster) => {
      const clock = monotonicClock();
      const history = openHistoryWriter({ clock });
      const monitor = startMonitor(cluster, history, { pollMs: 50 });
      const stopAt = { ns: Infinity };
      let killNs = 0;
      const workers = runWorkers({
        workload: setWorkload(),
        clientNames: cluster.clients.map((c) => c.name),
        makeClient: benchClientFactory(cluster, setWorkload()),
        history,
        random: createRandom(trial),
        rate: 1000,
        shouldStop: () => clock.nowNs() >= stopAt.ns,
        signal: new AbortController().signal,
      });
      await sleep(1500);
      const leader = (await cluster.leader())!;
      killNs = clock.nowNs();
      await cluster.kill(leader);
      stopAt.ns = killNs + 12e9;
      const firstOk = await new Promise<{ ns: number; node: string } | undefined>((resolve) => {
        const timer = setTimeout(() => (off(), resolve(undefined)), 12_000);
        const off = history.subscribe((op) => {
          if (op.type === "ok" && op.time > killNs && op.node !== undefined && op.node !== leader) {
            off();
            clearTimeout(timer);
            resolve({ ns: op.time, node: op.node });
          }
        });
      });
      stopAt.ns = 0;
      await workers;
      await sleep(3000); // let the monitor see the rest of the failover
      await monitor.stop();
      history.close();
      const agreed = history.ops.find(
        (o) => o.process === "monitor" && o.f === "leader" && o.time > killNs && typeof o.value === "string",
      );
      const sw = history.ops.find(
        (o) =>
          o.f === "sentinel-event" &&
          (o.value as { event?: string }).event === "+switch-master" &&
          o.time > killNs,
      );
      const failsAfter = history.ops.filter(
        (o) => typeof o.process === "number" && o.time > killNs && o.type === "fail",
      ).length;
      const infosAfter = history.ops.filter(
        (o) => typeof o.process === "number" && o.time > killNs && o.type === "info",
      ).length;
      const ms = (ns: number | undefined): string => (ns === undefined ? "—" : fmt((ns - killNs) / 1e6));
      rows.push([
        trial,
        leader,
        firstOk?.node ?? "none",
        ms(firstOk?.ns),
        ms(sw?.time),
        ms(agreed?.time),
        failsAfter,
        infosAfter,
      ]);
    });
  }
  ctx.table(
    "SIGKILL of the leader → first acknowledged write on the new leader (5 clients through the proxy, ~1,000 writes/s offered; down-after 1 s, failover-timeout 3 s, SENTINEL DEBUG info-period 1000 publish-period 500)",
    [
      "trial",
      "killed",
      "new leader",
      "first ack on new leader, ms",
      "first +switch-master, ms",
      "managers agree (poll 50 ms), ms",
      "fail after kill",
      "info after kill",
    ],
    rows,
  );
  ctx.note(
    `Spec §3.1 measured 1,456–1,525 ms to the first write with the same settings and no proxy. Load average: ${loadAverage()}.`,
  );
}

async function throughput(ctx: BenchContext): Promise<void> {
  const rows: (string | number)[][] = [];
  const cost: (string | number)[][] = [];
  for (const concurrency of [5, 20]) {
    const requests = concurrency * 10_000;
    for (const network of ["proxy", "direct"] as const) {
      await withBenchCluster(
        { label: LABEL, network, clients: clientNames(concurrency) },
        async (cluster) => {
          const leader = cluster.nodes.find((n) => n.name === "n1")!;
          const h = await harnessRates(cluster);
          const rbSame = redisBenchmarkRate(leader.public.port, "sadd", concurrency, requests);
          const rbDirect =
            network === "proxy"
              ? redisBenchmarkRate(leader.admin.port, "sadd", concurrency, requests)
              : rbSame;
          rows.push([
            concurrency,
            network,
            fmt(h.disk.rate),
            fmt(rbSame),
            (h.disk.rate / rbSame).toFixed(2),
            fmt(rbDirect),
          ]);
          cost.push([
            concurrency,
            network,
            fmt(h.memory.rate),
            fmt(h.disk.rate),
            h.memory.cpuUsPerOp.toFixed(0),
            h.disk.cpuUsPerOp.toFixed(0),
            (h.disk.cpuUsPerOp - h.memory.cpuUsPerOp).toFixed(0),
          ]);
        },
      );
    }
  }
  ctx.table(
    "Throughput without faults: acknowledged SADD/s (harness: the set workload, one op in flight per process, history on disk, median of three 2 s rounds after a 1 s warm-up; redis-benchmark -t sadd at the same concurrency against the same cluster, through the same path)",
    [
      "concurrency",
      "network",
      "harness ops/s",
      "redis-benchmark ops/s",
      "harness / redis-benchmark",
      "redis-benchmark straight to the leader",
    ],
    rows,
  );
  ctx.table(
    "Cost of recording the history in those runs (the same rounds with the history in memory only, interleaved)",
    [
      "concurrency",
      "network",
      "ops/s, history in memory",
      "ops/s, history on disk",
      "harness CPU µs/op, memory",
      "harness CPU µs/op, disk",
      "µs/op spent recording",
    ],
    cost,
  );
  ctx.note(`Load average: ${loadAverage()}.`);
}

async function historyCost(ctx: BenchContext): Promise<void> {
  // The harness's own loop with a client that answers at once (no store, no network): what is left is the
  // harness, so the history writer's share shows plainly. Each writer runs twice, interleaved; best of two.
  const modes = [
    ["in memory only", undefined],
    ["file, one write(2) per entry", "entry"],
    ["file, one write(2) per event-loop turn (default)", "turn"],
    ["file, batched every 20 ms", 20],
  ] as const;
  const best = new Map<string, number>();
  for (let round = 0; round < 2; round++) {
    for (const [label, flush] of modes) {
      const dir = mkdtempSync(join(tmpdir(), "faultline-bench-w-"));
      const clock = monotonicClock();
      const h = openHistoryWriter({
        clock,
        ...(flush === undefined ? {} : { path: join(dir, "history.jsonl"), flush }),
      });
      let ok = 0;
      h.subscribe((o) => void (o.type === "ok" && ok++));
      const end = clock.nowNs() + 2e9;
      await runWorkers({
        workload: setWorkload(),
        clientNames: ["c1", "c2", "c3", "c4", "c5"],
        makeClient: () => withTimeout(noopClient(), 1000),
        history: h,
        random: createRandom(1),
        rate: 0,
        shouldStop: () => clock.nowNs() >= end,
        signal: new AbortController().signal,
      });
      h.close();
      rmSync(dir, { recursive: true, force: true });
      best.set(label, Math.max(best.get(label) ?? 0, ok / 2));
    }
  }
  const base = best.get("in memory only")!;
  ctx.table(
    "Recording the history: the harness loop alone (5 processes, a client that acknowledges at once, 2 s, best of 2); each op is 2 entries",
    ["history", "ops/s", "µs per op", "µs per op spent on the history file"],
    modes.map(([label]) => {
      const r = best.get(label)!;
      return [
        label,
        fmt(r),
        (1e6 / r).toFixed(1),
        label === "in memory only" ? "—" : (1e6 / r - 1e6 / base).toFixed(1),
      ];
    }),
  );
}

export async function run(ctx: BenchContext): Promise<void> {
  ctx.note(`Load average at start: ${loadAverage()}.`);
  await startToReady(ctx);
  await killToFirstWrite(ctx);
  await throughput(ctx);
  await historyCost(ctx);
}
