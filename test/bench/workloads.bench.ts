/**
 * `npm run bench -- workloads`: each workload on a real Redis + Sentinel cluster with no faults — the harness's
 * throughput as a ratio to `redis-benchmark` at the same concurrency against the same cluster in the same run —
 * and the write-latency cost of `--replication wait:1:…` against async.
 */
import { quantiles } from "../../checkers/core/index.js";

import { monotonicClock } from "../../core/clock/index.js";
import { openHistoryWriter } from "../../core/history/index.js";
import { createRandom } from "../../core/random/index.js";
import type { StartedRedisCluster } from "../../stores/redis-sentinel/index.js";
import { runWorkers } from "../../harness/runner/index.js";
import { setWorkload, workloadByName, type Workload } from "../../workloads/index.js";
import { benchClientFactory, clientNames, redisBenchmarkRate, withBenchCluster } from "./bench-cluster.js";
import { fmt, loadAverage, median } from "./bench-stats.js";
import type { BenchContext } from "./run.js";
import type { ReplicationMode } from "../../stores/redis-sentinel/index.js";

export const description =
  "Each workload with no faults on a real Redis + Sentinel cluster (every link through the proxy): acknowledged ops/s " +
  "with 5 processes, one op in flight each, as a ratio to redis-benchmark at the same concurrency against the same " +
  "leader port in the same run; and the write latency of --replication wait:1:100 against async.";

const CONCURRENCY = 5;
const CLIENTS = clientNames(CONCURRENCY);

/**
 * Per workload: the redis-benchmark test that issues its main command, and how many Redis commands one of its ops
 * sends (a list-append transaction is MULTI, 1–4 commands, EXEC: 4.5 on average).
 */
const BASELINE: Record<string, { test: string; commandsPerOp: string }> = {
  set: { test: "sadd", commandsPerOp: "1 (SADD; every 10th op SMEMBERS of the whole set)" },
  register: { test: "set", commandsPerOp: "1 (GET, SET or EVAL)" },
  "list-append": { test: "lpush", commandsPerOp: "4.5 (MULTI, 1–4 RPUSH/LRANGE, EXEC)" },
  counter: { test: "incr", commandsPerOp: "1 (INCRBY or GET)" },
  "follower-reads": { test: "get", commandsPerOp: "1 (EVAL at the leader, GET at a follower or the leader)" },
};

/** Drives `workload` for `ms` at `rate` (0 = as fast as it goes): acknowledged ops/s and ok latencies (ms) per f. */
async function drive(
  cluster: StartedRedisCluster,
  workload: Workload<any>,
  ms: number,
  rate: number,
  replication?: ReplicationMode,
): Promise<{ rate: number; latencies: Map<string, number[]> }> {
  const clock = monotonicClock();
  const history = openHistoryWriter({ clock });
  const invoked = new Map<number, number>();
  const latencies = new Map<string, number[]>();
  let ok = 0;
  history.subscribe((op) => {
    if (typeof op.process !== "number") return;
    if (op.type === "invoke") invoked.set(op.process, op.time);
    else if (op.type === "ok") {
      ok++;
      const list = latencies.get(op.f) ?? [];
      list.push((op.time - invoked.get(op.process)!) / 1e6);
      latencies.set(op.f, list);
    }
  });
  const t0 = clock.nowNs();
  const end = t0 + ms * 1e6;
  await runWorkers({
    workload,
    clientNames: CLIENTS,
    makeClient: benchClientFactory(cluster, workload, replication),
    history,
    random: createRandom(1),
    rate,
    shouldStop: () => clock.nowNs() >= end,
    signal: new AbortController().signal,
  });
  const seconds = (clock.nowNs() - t0) / 1e9;
  history.close();
  return { rate: ok / seconds, latencies };
}

async function throughput(ctx: BenchContext, cluster: StartedRedisCluster): Promise<void> {
  const leaderPort = cluster.nodes.find((n) => n.name === "n1")!.public.port;
  const rows: (string | number)[][] = [];
  for (const name of Object.keys(BASELINE)) {
    const base = BASELINE[name]!;
    // A fresh workload per round (some keep per-run client state); a warm-up round first, unmeasured.
    await drive(cluster, workloadByName(name)!, 1000, 0);
    const harness: number[] = [];
    const bench: number[] = [];
    const ratios: number[] = [];
    for (let round = 0; round < 5; round++) {
      // Each round starts from an empty store, so the set workload's whole-set reads do not grow round by round;
      // the two sides alternate which goes first, and each round's ratio is taken side by side.
      await cluster.admin.command("n1", "FLUSHALL");
      const first = round % 2 === 0;
      const b0 = first ? redisBenchmarkRate(leaderPort, base.test, CONCURRENCY, 10_000) : undefined;
      const h = (await drive(cluster, workloadByName(name)!, 2000, 0)).rate;
      const b = b0 ?? redisBenchmarkRate(leaderPort, base.test, CONCURRENCY, 10_000);
      harness.push(h);
      bench.push(b);
      ratios.push(h / b);
    }
    rows.push([
      name,
      fmt(median(harness)),
      `${base.test.toUpperCase()}: ${fmt(median(bench))}`,
      median(ratios).toFixed(2),
      `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}`,
      base.commandsPerOp,
    ]);
  }
  ctx.table(
    `Throughput with no faults, ${CONCURRENCY} processes (acknowledged ops/s, five 2 s rounds after a 1 s warm-up, each next to a redis-benchmark -c ${CONCURRENCY} -n 10000 run through the leader's proxy port; medians, and the ratio as the median of the per-round ratios)`,
    [
      "workload",
      "harness ops/s",
      "redis-benchmark req/s",
      "harness / redis-benchmark",
      "per-round range",
      "Redis commands per harness op",
    ],
    rows,
  );
}

async function waitCost(ctx: BenchContext, cluster: StartedRedisCluster): Promise<void> {
  const modes: [string, ReplicationMode | undefined][] = [
    ["async", undefined],
    ["wait:1:100", { kind: "wait", replicas: 1, timeoutMs: 100 }],
  ];
  const lat = new Map<string, number[]>(modes.map(([m]) => [m, []]));
  const rate = new Map<string, number[]>(modes.map(([m]) => [m, []]));
  const add = setWorkload(); // adds only: every op is a write
  for (let round = 0; round < 4; round++) {
    for (const [label, mode] of round % 2 === 0 ? modes : [...modes].reverse()) {
      // Latency at a run's pace (200 ops/s over 5 processes), throughput flat out.
      const paced = await drive(cluster, add, 3000, 200, mode);
      lat.get(label)!.push(...(paced.latencies.get("add") ?? []));
      rate.get(label)!.push((await drive(cluster, add, 2000, 0, mode)).rate);
    }
  }
  // Nearest-rank quantiles of each mode's pooled latencies (sorted in place: nothing reads their order after).
  const pooled = new Map(modes.map(([label]) => [label, quantiles(lat.get(label)!)]));
  const asyncP50 = pooled.get("async")!.p50 ?? NaN;
  ctx.table(
    "Write latency of --replication wait:1:100 against async (set workload, adds only, 5 processes; latency of acknowledged adds at 200 ops/s, four interleaved 3 s rounds pooled; throughput flat out, median of four 2 s rounds)",
    ["--replication", "adds measured", "p50 ms", "p90 ms", "p99 ms", "p50 cost vs async", "ops/s flat out"],
    modes.map(([label]) => {
      const q = pooled.get(label)!;
      const p50 = q.p50 ?? NaN;
      return [
        label,
        q.count,
        p50.toFixed(2),
        (q.p90 ?? NaN).toFixed(2),
        (q.p99 ?? NaN).toFixed(2),
        label === "async" ? "—" : `+${(p50 - asyncP50).toFixed(2)} ms (×${(p50 / asyncP50).toFixed(2)})`,
        fmt(median(rate.get(label)!)),
      ];
    }),
  );
}

export async function run(ctx: BenchContext): Promise<void> {
  ctx.note(`Load average at start: ${loadAverage()}.`);
  await withBenchCluster(
    { label: "bench-workloads", network: "proxy", clients: CLIENTS },
    async (cluster) => {
      await throughput(ctx, cluster);
      await waitCost(ctx, cluster);
    },
  );
  ctx.note(`Load average at end: ${loadAverage()}.`);
}
