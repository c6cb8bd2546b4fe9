/**
 * `npm run bench -- workloads`: each workload on a real Redis + Sentinel cluster with no faults — the harness's
 * throughput as a ratio to `redis-benchmark` at the same concurrency against the same cluster in the same run —
 * and the write-latency cost of `--replication wait:1:…` against async.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { runTagForThisProcess } from "../../harness/backends/local/index.js";
import { redisClient, withTimeout, type Client } from "../../harness/clients/index.js";
import type { ReplicationMode } from "../../harness/config/index.js";
import { monotonicClock } from "../../harness/clock/index.js";
import { openHistoryWriter } from "../../harness/history/index.js";
import { createRandom } from "../../harness/random/index.js";
import { redisSentinelCluster, type StartedRedisCluster } from "../../harness/redis/index.js";
import { runWorkers } from "../../harness/runner/index.js";
import { setWorkload, workloadByName, type Workload } from "../../workloads/index.js";
import type { BenchContext } from "./run.js";

export const description =
  "Each workload with no faults on a real Redis + Sentinel cluster (every link through the proxy): acknowledged ops/s " +
  "with 5 processes, one op in flight each, as a ratio to redis-benchmark at the same concurrency against the same " +
  "leader port in the same run; and the write latency of --replication wait:1:100 against async.";

const CONCURRENCY = 5;
const CLIENTS = Array.from({ length: CONCURRENCY }, (_, i) => `c${i + 1}`);
const STORE = {
  followers: 2,
  failoverManagers: 3,
  quorum: 2,
  minReplicasToWrite: 0,
  minReplicasMaxLag: 10,
  persistence: "aof-everysec",
  downAfter: 1000,
  failoverTimeout: 3000,
} as const;

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

async function withCluster<T>(fn: (c: StartedRedisCluster) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "faultline-bench-wl-"));
  const tag = runTagForThisProcess(`bench-workloads/${process.pid}/${Date.now()}`, dir);
  const cluster = await redisSentinelCluster({
    runDir: dir,
    tag,
    store: { ...STORE },
    clients: CLIENTS,
    network: "proxy",
  }).start();
  try {
    return await fn(cluster);
  } finally {
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function clientFactory(
  cluster: StartedRedisCluster,
  workload: Workload<any>,
  replication?: ReplicationMode,
): (name: string) => Client {
  return (name) =>
    withTimeout(
      redisClient({
        topology: {
          masterName: cluster.masterName,
          nodes: cluster.nodes,
          endpoints: cluster.clients.find((c) => c.name === name)!,
        },
        workload,
        commandTimeoutMs: 1000,
        ...(replication ? { replication } : {}),
      }),
      1250,
    );
}

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
    makeClient: clientFactory(cluster, workload, replication),
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

function redisBenchmarkRate(port: number, test: string, requests: number): number {
  const out = execFileSync(
    "redis-benchmark",
    [
      "-h",
      "127.0.0.1",
      "-p",
      String(port),
      "-c",
      String(CONCURRENCY),
      "-n",
      String(requests),
      "-t",
      test,
      "--csv",
    ],
    { encoding: "utf8" },
  );
  const line = out.split("\n").find((l) => l.toUpperCase().startsWith(`"${test.toUpperCase()}`));
  if (!line) throw new Error(`unexpected redis-benchmark output: ${out}`);
  return Number(JSON.parse(`[${line}]`)[1]);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const quantile = (xs: readonly number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? NaN;
};
const fmt = (n: number): string => Math.round(n).toLocaleString("en-US");
const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(" / ");

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
      const b0 = first ? redisBenchmarkRate(leaderPort, base.test, 10_000) : undefined;
      const h = (await drive(cluster, workloadByName(name)!, 2000, 0)).rate;
      const b = b0 ?? redisBenchmarkRate(leaderPort, base.test, 10_000);
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
  const asyncP50 = quantile(lat.get("async")!, 0.5);
  ctx.table(
    "Write latency of --replication wait:1:100 against async (set workload, adds only, 5 processes; latency of acknowledged adds at 200 ops/s, four interleaved 3 s rounds pooled; throughput flat out, median of four 2 s rounds)",
    ["--replication", "adds measured", "p50 ms", "p90 ms", "p99 ms", "p50 cost vs async", "ops/s flat out"],
    modes.map(([label]) => {
      const xs = lat.get(label)!;
      const p50 = quantile(xs, 0.5);
      return [
        label,
        xs.length,
        p50.toFixed(2),
        quantile(xs, 0.9).toFixed(2),
        quantile(xs, 0.99).toFixed(2),
        label === "async" ? "—" : `+${(p50 - asyncP50).toFixed(2)} ms (×${(p50 / asyncP50).toFixed(2)})`,
        fmt(median(rate.get(label)!)),
      ];
    }),
  );
}

export async function run(ctx: BenchContext): Promise<void> {
  ctx.note(`Load average at start: ${load()}.`);
  await withCluster(async (cluster) => {
    await throughput(ctx, cluster);
    await waitCost(ctx, cluster);
  });
  ctx.note(`Load average at end: ${load()}.`);
}
