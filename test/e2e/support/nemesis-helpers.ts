/**
 * Helpers for the nemesis's end-to-end tests: a real Redis + Sentinel cluster behind faultline's proxy, started
 * in-process with a history and the monitor, a nemesis over a hand-written schedule, a steady write load on the
 * leader, replication offsets, raw probes through the proxy as a given node — and the leftovers check every test
 * ends with (no link toxic in the proxy, no stopped, dead or skewed process, then nothing of the run at all).
 */
import { readdirSync, readFileSync, mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, onTestFinished } from "vitest";
import { runTagForThisProcess } from "../../../core/backends/local/index.js";
import { isProcessInspectable, type ProcessInspection } from "../../../core/cluster/index.js";
import { monotonicClock, pollUntil, sleep } from "../../../core/clock/index.js";
import { openHistoryWriter, type HistoryWriter } from "../../../core/history/index.js";
import { monitorAttached, startMonitor, type Monitor } from "../../../stores/redis-sentinel/index.js";
import {
  parseInfo,
  redisSentinelCluster,
  type NodeBackendFactory,
  type StartedRedisCluster,
} from "../../../stores/redis-sentinel/index.js";
import { invokeNemesis } from "../../../harness/runner/index.js";
import { FaultlineProxyClient } from "../../../nemesis/proxy-client/index.js";
import { scheduleNemesis, windowOpName } from "../../../nemesis/execute/index.js";
import { faultResidue, healCluster } from "../../../nemesis/heal/index.js";
import type { Nemesis } from "../../../nemesis/core/index.js";
import type { FaultWindow, Schedule } from "../../../nemesis/schedule/index.js";
import { processesOfRun } from "./spine-helpers.js";

/** The store settings of these tests: the spec's fast failover timings (§3). */
export const STORE = {
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

/** A nemesis over hand-written windows, whose starts and stops the test invokes itself. */
export interface WindowDriver {
  readonly nemesis: Nemesis;
  /** The windows with ids f1, f2… in the order given. */
  readonly windows: readonly FaultWindow[];
  /** Invokes the start or stop of window `id`, recorded in the history; resolves with the completion entry. */
  fire(phase: "start" | "stop", id: string): Promise<Record<string, any>>;
}

/** A started cluster with what a nemesis test needs around it. */
export interface NemesisBench {
  readonly cluster: StartedRedisCluster;
  readonly history: HistoryWriter;
  readonly monitor: Monitor;
  readonly runId: string;
  readonly dir: string;
  /** A nemesis over `windows`, each seeded `seed + position`. */
  windows(windows: readonly WindowAction[], seed?: number): WindowDriver;
}

/** A window without its timing, which the test controls by hand. */
export type WindowAction = FaultWindow extends infer W
  ? W extends FaultWindow
    ? Omit<W, "id" | "start" | "duration" | "seed">
    : never
  : never;

/**
 * Starts a cluster (3 data nodes, 3 Sentinels, every link through the proxy, clients `c1`, `c2`) with a
 * history and the monitor, runs `fn`, then checks and tears down: heals what `fn` left (it should have left
 * nothing: a test that does not stop its faults fails here), asks the proxy for link toxics before teardown
 * (none), checks no process is stopped or skewed, stops the cluster, and checks that no process of the run is
 * left. The run directory is kept when the test fails.
 */
export async function withNemesisBench(
  fn: (bench: NemesisBench) => Promise<void>,
  options: { backend?: NodeBackendFactory } = {},
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "faultline-e2e-nemesis-"));
  const runId = `e2e-nemesis/${process.pid}/${Date.now()}`;
  const tag = runTagForThisProcess(runId, dir);
  const history = openHistoryWriter({ path: join(dir, "history.jsonl"), clock: monotonicClock() });
  const cluster = await redisSentinelCluster({
    runDir: dir,
    tag,
    store: { ...STORE },
    clients: ["c1", "c2"],
    network: "proxy",
    ...(options.backend ? { backend: options.backend } : {}),
  }).start();
  const monitor = startMonitor(cluster, history, { pollMs: 100 });
  // As in a run, the monitor is listening to every Sentinel before the first fault.
  for (const s of cluster.nodes.filter((n) => n.role === "failover-manager")) {
    await monitorAttached(cluster.admin, s.name, { isManager: true, timeoutMs: 10_000 });
  }
  let passed = false;
  onTestFinished(({ task }) => {
    if (task.result?.state === "pass" && passed) rmSync(dir, { recursive: true, force: true });
  });
  const bench: NemesisBench = {
    cluster,
    history,
    monitor,
    runId,
    dir,
    windows(actions, seed = 1) {
      const windows = actions.map(
        (w, i) => ({ ...w, id: `f${i + 1}`, start: i, duration: 1, seed: seed + i }) as FaultWindow,
      );
      const schedule: Schedule = {
        timeLimit: 3_600_000,
        quietPeriod: 0,
        minDuration: 1,
        maxDuration: 3_600_000,
        windows,
      };
      const nemesis = scheduleNemesis(schedule, {
        cluster,
        clients: ["c1", "c2"],
        watched: async (node) => {
          const isManager = cluster.nodes.some((n) => n.name === node && n.role === "failover-manager");
          await monitorAttached(cluster.admin, node, { isManager });
        },
      });
      return {
        nemesis,
        windows,
        async fire(phase, id) {
          const w = windows.find((x) => x.id === id);
          if (!w) throw new Error(`no window ${id}`);
          const f = `${phase}-${windowOpName(w)}`;
          await invokeNemesis(history, nemesis, { f, value: { window: id } });
          // The monitor may have appended entries meanwhile: the completion is the latest nemesis entry of `f`.
          return history.ops.findLast((o) => o.process === "nemesis" && o.f === f) as Record<string, any>;
        },
      };
    },
  };
  try {
    await fn(bench);
    // What the test left: nothing, checked the way the final heal checks it, and in the proxy's own words.
    expect(await faultResidue(cluster)).toEqual([]);
    const proxy = new FaultlineProxyClient(cluster.network.apiUrl!);
    expect(await proxy.listLinkToxics()).toEqual([]);
    passed = true;
  } finally {
    await healCluster(cluster).catch(() => undefined);
    await monitor.stop();
    await cluster.stop();
    history.close();
  }
  await expectNothingOfRun(runId);
}

/** No process tagged with the run is left, and none runs under a clock shim or libfaketime. */
export async function expectNothingOfRun(runId: string): Promise<void> {
  const { value } = await pollUntil(
    () => Promise.resolve(processesOfRun(runId).length === 0 ? true : undefined),
    { timeoutMs: 5000, intervalMs: 100 },
  );
  expect(value, `processes of ${runId} left: ${JSON.stringify(processesOfRun(runId))}`).toBe(true);
  expect(skewedProcessesOfRun(runId)).toEqual([]);
}

/** Pids of the run's processes whose `LD_PRELOAD` holds a clock shim or libfaketime. */
export function skewedProcessesOfRun(runId: string): number[] {
  const out: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const env = readFileSync(`/proc/${entry}/environ`, "latin1").split("\0");
      if (!env.includes(`FAULTLINE_RUN_ID=${runId}`)) continue;
      if (env.some((e) => e.startsWith("LD_PRELOAD=") && /faultline-clock|faketime/.test(e)))
        out.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}

/** `master_repl_offset` of a node (its own stream position: a follower's is what it has applied). */
export async function replOffset(cluster: StartedRedisCluster, node: string): Promise<number> {
  return Number((await replField(cluster, node, "master_repl_offset")) ?? NaN);
}

/** A field of a node's `INFO replication` (`master_link_status`, `role`…). */
export async function replField(
  cluster: StartedRedisCluster,
  node: string,
  field: string,
): Promise<string | undefined> {
  const info = parseInfo(String(await cluster.admin.command(node, "INFO", "replication")));
  return info.get(field);
}

/** Whether a follower's link to its leader is up and it has applied the stream up to `offset`. */
export async function caughtUp(
  cluster: StartedRedisCluster,
  follower: string,
  offset: number,
): Promise<boolean> {
  return (
    (await replField(cluster, follower, "master_link_status")) === "up" &&
    (await replOffset(cluster, follower)) >= offset
  );
}

/**
 * Writes to `leader` over the harness's direct connection every `everyMs` until stopped: the leader's
 * replication stream keeps growing without any client link being involved.
 */
export function writeLoad(
  cluster: StartedRedisCluster,
  leader: string,
  everyMs = 5,
): { stop(): Promise<number> } {
  let running = true;
  let written = 0;
  const done = (async () => {
    while (running) {
      try {
        await cluster.admin.command(
          leader,
          "SET",
          `load:${written % 1000}`,
          `value-${written}-${"x".repeat(40)}`,
        );
        written++;
      } catch {
        // a paused or cut-off leader: keep trying
      }
      await sleep(everyMs);
    }
  })();
  return {
    async stop() {
      running = false;
      await done;
      return written;
    },
  };
}

/**
 * Sends `PING` to the node behind `port` (a public proxy listener) over a connection made from `sourceAddress`
 * (so the proxy takes it for that node's link) and resolves whether `+PONG` came back within `timeoutMs`.
 */
export function pingAs(sourceAddress: string, port: number, timeoutMs = 1500): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host: "127.0.0.1", port, localAddress: sourceAddress });
    let answer = "";
    const finish = (ok: boolean): void => {
      clearTimeout(timer);
      sock.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    sock.on("connect", () => sock.write("PING\r\n"));
    sock.on("data", (d: Buffer) => {
      answer += d.toString();
      if (answer.includes("+PONG")) finish(true);
    });
    sock.on("error", () => finish(false));
    sock.on("close", () => finish(answer.includes("+PONG")));
  });
}

/** Polls `probe` every 100 ms until it returns true, or fails the test after `timeoutMs` naming `what`. */
export async function eventually(
  what: string,
  timeoutMs: number,
  probe: () => Promise<boolean>,
): Promise<void> {
  const { value, lastError } = await pollUntil(async () => ((await probe()) ? true : undefined), {
    timeoutMs,
    intervalMs: 100,
  });
  if (!value)
    throw new Error(
      `${what} did not happen within ${timeoutMs} ms${lastError ? `: ${String(lastError)}` : ""}`,
    );
}

/** How far a node's clock (its `TIME`) is from this machine's, ms: negative when it is behind. */
export async function clockSkewMs(cluster: StartedRedisCluster, node: string): Promise<number> {
  const [sec] = (await cluster.admin.command(node, "TIME")) as [string, string];
  return Number(sec) * 1000 - Date.now();
}

/** Whether the history holds `event` (`+tilt`…) from Sentinel `sentinel`, as the monitor records it. */
export function sentinelEventSeen(history: HistoryWriter, sentinel: string, event: string): boolean {
  return history.ops.some(
    (o) =>
      o.f === "manager-event" &&
      (o.value as { manager: string }).manager === sentinel &&
      (o.value as { event: string }).event === event,
  );
}

/** The node's process as the cluster sees it (the local backend can always tell). */
export function inspect(cluster: StartedRedisCluster, node: string): ProcessInspection | undefined {
  if (!isProcessInspectable(cluster)) throw new Error("the cluster cannot inspect its processes");
  return cluster.inspect(node);
}
