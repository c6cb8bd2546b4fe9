/**
 * `npm run bench -- docker`: cluster start to "really ready" on the docker backend against the local backend, in
 * the same run, rounds interleaved (local, docker, local, docker, …) so the shared machine's load falls on both.
 * Needs a Docker engine and the local images (`faultline images build-local`).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connectDocker } from "../../core/backends/docker/index.js";
import { runTagForThisProcess } from "../../core/backends/local/index.js";
import { imageRefs, requireImages } from "../../core/images/index.js";
import { REDIS_IMAGES } from "../../stores/redis-sentinel/index.js";
import {
  redisSentinelCluster,
  type NodeBackendFactory,
  type StartPhase,
} from "../../stores/redis-sentinel/index.js";
import { BENCH_STORE, clientNames } from "./bench-cluster.js";
import { loadAverage, median } from "./bench-stats.js";
import type { BenchContext } from "./run.js";
import { dockerNodeBackend } from "../../stores/redis-sentinel/index.js";

export const description =
  "Cluster start to ready (leader writable, followers online, every Sentinel sees every follower and peer; 3 data " +
  "nodes, 3 Sentinels, 5 clients, every link through the proxy) on the docker backend (local images) vs the local " +
  "backend, rounds interleaved in one run; plus the time to stop and remove everything.";

const ROUNDS = 5;

interface Round {
  readyMs: number;
  phases: Partial<Record<StartPhase, number>>;
  stopMs: number;
}

async function oneStart(backend: NodeBackendFactory | undefined): Promise<Round> {
  const dir = mkdtempSync(join(tmpdir(), "faultline-bench-docker-"));
  const tag = runTagForThisProcess(`bench-docker/${process.pid}/${Date.now()}`, dir);
  const phases: Round["phases"] = {};
  try {
    const cluster = await redisSentinelCluster({
      runDir: dir,
      tag,
      store: { ...BENCH_STORE },
      clients: clientNames(5),
      network: "proxy",
      onPhase: (p, ms) => (phases[p] = ms),
      ...(backend ? { backend } : {}),
    }).start();
    const t0 = Date.now();
    await cluster.stop();
    return { readyMs: cluster.readyMs, phases, stopMs: Date.now() - t0 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(ctx: BenchContext): Promise<void> {
  const docker = await connectDocker();
  const images = imageRefs("local", REDIS_IMAGES);
  await requireImages(docker, images);
  const dockerBackend = dockerNodeBackend({ docker, images });
  ctx.note(`Load average at start: ${loadAverage(", ")}.`);
  // One unmeasured start of each warms the page cache and the engine.
  await oneStart(undefined);
  await oneStart(dockerBackend);
  const local: Round[] = [];
  const container: Round[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    local.push(await oneStart(undefined));
    container.push(await oneStart(dockerBackend));
  }
  const row = (name: string, rs: Round[]): (string | number)[] => [
    name,
    Math.min(...rs.map((r) => r.readyMs)),
    median(rs.map((r) => r.readyMs)),
    median(rs.map((r) => r.phases["data-nodes"] ?? 0)),
    median(rs.map((r) => r.phases.proxy ?? 0)),
    median(rs.map((r) => (r.phases["failover-managers"] ?? 0) - (r.phases.network ?? 0))),
    median(rs.map((r) => r.stopMs)),
  ];
  ctx.table(
    `Start to ready, ${ROUNDS} interleaved rounds each (ms)`,
    [
      "backend",
      "min ready",
      "median ready",
      "data nodes answer",
      "proxy answers",
      "Sentinels start",
      "stop + remove",
    ],
    [row("local", local), row("docker", container)],
  );
  ctx.note(
    `Docker / local median start-to-ready: ${(median(container.map((r) => r.readyMs)) / median(local.map((r) => r.readyMs))).toFixed(1)}×.`,
  );
  ctx.note(`Load average at end: ${loadAverage(", ")}.`);
}
