/**
 * `npm run bench -- stores`: the stores side by side through the store seam, on real processes on the same machine
 * in the same run — cluster start to ready, and SIGKILL of the leader's node to the first acknowledged write on a new
 * leader — Redis + Sentinel and PostgreSQL + Patroni + etcd, each with its default timing, every link through the
 * proxy.
 */
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runTagForThisProcess } from "../../core/backends/local/index.js";
import { isKillable, type Killable } from "../../core/cluster/index.js";
import { withTimeout, type Client } from "../../core/clients/index.js";
import { sleep } from "../../core/clock/index.js";
import { storeAdapter, type StartedStore, type StoreSettings } from "../../stores/index.js";
import { setWorkload } from "../../workloads/index.js";
import { fmt, loadAverage, median } from "./bench-stats.js";
import type { BenchContext } from "./run.js";

export const description =
  "Redis + Sentinel against PostgreSQL + Patroni + etcd through the store seam, same machine, same run: cluster " +
  "start to ready, and SIGKILL of the leader's node to the first acknowledged write on a new leader.";

const STORES: { kind: string; settings: Record<string, unknown>; timing: string }[] = [
  {
    kind: "redis-sentinel",
    settings: {},
    timing: "down-after 1 s, failover-timeout 3 s (faultline's defaults)",
  },
  { kind: "postgres-patroni", settings: {}, timing: "Patroni ttl 20 s, loop_wait 1 s, retry_timeout 5 s" },
];

async function start(kind: string, settingsIn: Record<string, unknown>, dir: string): Promise<StartedStore> {
  const adapter = storeAdapter(kind);
  const parsed = adapter.settings.parse({ kind, ...settingsIn }) as StoreSettings;
  const { settings, replication } = adapter.replication.reconcile("async", parsed);
  return adapter
    .cluster({
      runDir: dir,
      tag: runTagForThisProcess(`bench-stores/${kind}/${Date.now()}`, dir),
      settings,
      replication,
      clients: ["c1"],
      network: "proxy",
      backend: "local",
      docker: { images: "official" },
      keepProxyAfterHarness: false,
      say: () => undefined,
    })
    .start();
}

/** Writes as fast as one client can until the first ack from a node other than `old`; ms from the kill. */
async function firstAckElsewhere(
  client: Client,
  old: string,
  killedAt: number,
  limitMs: number,
): Promise<number> {
  for (let v = 1_000_000; performance.now() - killedAt < limitMs; v++) {
    const done = await client.invoke({ f: "add", key: "faultline:set", value: v });
    if (done.type === "ok" && done.node !== undefined && done.node !== old)
      return performance.now() - killedAt;
    if (done.type !== "ok") await sleep(20);
  }
  return NaN;
}

export async function run(ctx: BenchContext): Promise<void> {
  const rows: (string | number)[][] = [];
  for (const s of STORES) {
    const starts: number[] = [];
    const failovers: number[] = [];
    const tries = s.kind === "redis-sentinel" ? 3 : 2;
    for (let i = 0; i < tries; i++) {
      const dir = mkdtempSync(join(tmpdir(), `faultline-bench-${s.kind}-`));
      chmodSync(dir, 0o755);
      let cluster: (StartedStore & Killable) | undefined;
      try {
        const started = await start(s.kind, s.settings, dir);
        if (!isKillable(started)) throw new Error(`${s.kind} cannot kill nodes`);
        cluster = started;
        starts.push(cluster.readyMs);
        const workload = setWorkload();
        const client = withTimeout(cluster.client("c1", { workload, opTimeoutMs: 1000 }), 1250);
        await client.open();
        // Warm the client on the leader first.
        for (let v = 0; v < 20; v++) await client.invoke({ f: "add", key: "faultline:set", value: v });
        const leader = (await cluster.leader())!;
        const killedAt = performance.now();
        await cluster.kill(leader);
        failovers.push(await firstAckElsewhere(client, leader, killedAt, 120_000));
        await client.close();
      } finally {
        await cluster?.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    }
    rows.push([
      s.kind,
      s.timing,
      starts.map((x) => fmt(x)).join(", "),
      fmt(median(starts)),
      failovers.map((x) => fmt(x)).join(", "),
      fmt(median(failovers)),
    ]);
  }
  ctx.table(
    "Start → ready, and SIGKILL of the leader's node → first acknowledged write on a new leader (3 data nodes, 3 failover managers or etcd members, 1 client through the proxy)",
    [
      "store",
      "timing",
      "start → ready, ms (each)",
      "median",
      "kill → first ack on new leader, ms (each)",
      "median",
    ],
    rows,
  );
  ctx.note(`Load average while the suite ran: ${loadAverage()}.`);
}
