/**
 * What the benchmark suites on a real cluster share: the store settings their figures were measured with, a
 * cluster started and torn down around a measurement, a workload client, and `redis-benchmark` as the baseline.
 * Not a suite (`run.ts` loads only `*.bench.ts`).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runTagForThisProcess } from "../../core/backends/local/index.js";
import { withTimeout, type Client } from "../../core/clients/index.js";

import {
  redisSentinelCluster,
  type StartedRedisCluster,
  type StartPhase,
} from "../../stores/redis-sentinel/index.js";
import type { Workload } from "../../workloads/index.js";
import { redisClient } from "../../stores/redis-sentinel/index.js";
import type { ReplicationMode } from "../../stores/redis-sentinel/index.js";

/**
 * The store settings of the cluster suites: the spec's fast failover timings (§3). Pinned here rather than
 * taken from the run defaults, so the figures in BENCHMARKS.md stay tied to the settings they were measured with.
 */
export const BENCH_STORE = {
  kind: "redis-sentinel",
  followers: 2,
  failoverManagers: 3,
  quorum: 2,
  minReplicasToWrite: 0,
  minReplicasMaxLag: 10,
  persistence: "aof-everysec",
  downAfter: 1000,
  failoverTimeout: 3000,
} as const;

/** Client names `c1` … `cN`, as `faultline run` names its processes' clients. */
export function clientNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `c${i + 1}`);
}

/** Options of {@link withBenchCluster}. */
export interface BenchClusterOptions {
  /** Names the temporary run directory (`faultline-<label>-…`) and the run tag (`<label>/<pid>/<ms>`). */
  label: string;
  network: "proxy" | "direct";
  /** The clients the cluster gets listeners for. */
  clients: readonly string[];
  onPhase?: (phase: StartPhase, ms: number) => void;
}

/**
 * Starts a Redis + Sentinel cluster with {@link BENCH_STORE} in a temporary directory, runs `fn` on it, then stops
 * it and removes the directory, whether `fn` resolves or throws.
 */
export async function withBenchCluster<T>(
  options: BenchClusterOptions,
  fn: (cluster: StartedRedisCluster) => Promise<T>,
): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), `faultline-${options.label}-`));
  const tag = runTagForThisProcess(`${options.label}/${process.pid}/${Date.now()}`, dir);
  const cluster = await redisSentinelCluster({
    runDir: dir,
    tag,
    store: { ...BENCH_STORE },
    clients: options.clients,
    network: options.network,
    ...(options.onPhase ? { onPhase: options.onPhase } : {}),
  }).start();
  try {
    return await fn(cluster);
  } finally {
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A `makeClient` for `runWorkers`: the client called `name` performs `workload` through that client's listeners,
 * with a 1 s command timeout inside a 1.25 s op timeout, as `faultline run` sets them by default.
 */
export function benchClientFactory(
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

/** Requests per second of `redis-benchmark -t <test>` against 127.0.0.1:`port` with `concurrency` connections. */
export function redisBenchmarkRate(
  port: number,
  test: string,
  concurrency: number,
  requests: number,
): number {
  const out = execFileSync(
    "redis-benchmark",
    [
      "-h",
      "127.0.0.1",
      "-p",
      String(port),
      "-c",
      String(concurrency),
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
