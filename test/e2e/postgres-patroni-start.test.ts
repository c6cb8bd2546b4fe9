import { execFile, spawn } from "node:child_process";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it, onTestFinished } from "vitest";
import { runTagForThisProcess } from "../../core/backends/local/index.js";
import { startLocalPgCluster, type LocalPgCluster } from "../../stores/postgres-patroni/index.js";
import { listeningPorts, processesOfRun, ROOT } from "./support/spine-helpers.js";

// The `pg` package is not a dependency yet, so SQL goes through Debian's psql.
const exec = promisify(execFile);

async function sql(port: number, query: string): Promise<string> {
  const { stdout } = await exec(
    "psql",
    [
      "-h",
      "127.0.0.1",
      "-p",
      String(port),
      "-U",
      "postgres",
      "-d",
      "postgres",
      "-XAtq",
      "-v",
      "ON_ERROR_STOP=1",
      "-c",
      query,
    ],
    { env: { ...process.env, PGCONNECT_TIMEOUT: "2" }, timeout: 10_000 },
  );
  return stdout.trim();
}

async function eventually<T>(what: string, timeoutMs: number, fn: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`${what} did not happen in ${timeoutMs} ms (last error: ${String(last)})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Every live (non-zombie) process whose command line names `marker` (the run directory or the cluster's scope). */
function processesNaming(marker: string): string[] {
  const found: string[] = [];
  for (const e of readdirSync("/proc")) {
    if (!/^\d+$/.test(e) || Number(e) === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${e}/cmdline`, "latin1").split("\0").join(" ");
      const stat = readFileSync(`/proc/${e}/stat`, "utf8");
      if (cmd.includes(marker) && !stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z"))
        found.push(`${e} ${cmd}`);
    } catch {
      // gone
    }
  }
  return found;
}

/** The primary's current timeline: the first 8 hex digits of its current WAL file's name. */
const TIMELINE = "select substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8)";

const port = (c: LocalPgCluster, name: string): number =>
  c.plan.nodes.find((n) => n.name === name)!.postgres.real.port;

describe("startLocalPgCluster", () => {
  it("should replicate a write, fail over when the leader's node dies, rejoin it, and leave nothing when stopped", async () => {
    const runDir = mkdtempSync(join(tmpdir(), "faultline-e2e-pg-"));
    chmodSync(runDir, 0o755); // the postgres user must reach its node directories
    onTestFinished(({ task }) => {
      if (task.result?.state === "pass") rmSync(runDir, { recursive: true, force: true });
    });
    const runId = `e2e-pg-${process.pid}-${Date.now()}`;
    const cluster = await startLocalPgCluster({
      runDir,
      tag: runTagForThisProcess(runId, runDir),
      scope: `fl-e2e-${process.pid}`,
    });
    const allPorts = [...cluster.plan.nodes, ...cluster.plan.etcd].flatMap((n) =>
      "postgres" in n ? [n.postgres.real.port, n.rest.real.port] : [n.client.real.port, n.peer.real.port],
    );
    let stopped = false;
    onTestFinished(async () => {
      if (!stopped) await cluster.stop();
    });
    console.log(
      `[pg e2e] leader after ${Math.round(cluster.timings.leaderMs)} ms, ready after ${Math.round(cluster.timings.readyMs)} ms`,
    );

    const ready = await cluster.readiness();
    if (!ready.ready) throw new Error(`not ready after start: ${ready.reason}`);
    const oldLeader = ready.leader;
    const followers = cluster.plan.nodes.map((n) => n.name).filter((n) => n !== oldLeader);
    expect(ready.streaming.map((s) => s.name).sort()).toEqual(followers);
    expect(await sql(port(cluster, oldLeader), "select pg_is_in_recovery()")).toBe("f");

    // A write on the leader reaches every hot standby; a standby refuses writes.
    await sql(port(cluster, oldLeader), "create table t (k int primary key); insert into t values (1)");
    for (const f of followers) {
      await eventually(`row 1 on ${f}`, 10_000, async () =>
        (await sql(port(cluster, f), "select count(*) from t where k = 1")) === "1" ? true : undefined,
      );
    }
    await expect(sql(port(cluster, followers[0]!), "insert into t values (2)")).rejects.toThrow(
      /read-only transaction/,
    );
    const timeline = parseInt(await sql(port(cluster, oldLeader), TIMELINE), 16);

    // The leader's node crashes (Patroni and PostgreSQL): another node takes over after the leader lock expires.
    const t0 = performance.now();
    await cluster.kill(oldLeader, "both");
    const newLeader = await eventually("a write on a new leader", 90_000, async () => {
      for (const f of followers) {
        try {
          await sql(port(cluster, f), `insert into t values (${1000 + Math.floor(performance.now())})`);
          return f;
        } catch {
          // still a standby, or promoting
        }
      }
      return undefined;
    });
    console.log(
      `[pg e2e] kill leader ${oldLeader} → first write on ${newLeader} after ${Math.round(performance.now() - t0)} ms`,
    );
    expect(await sql(port(cluster, newLeader), "select count(*) from t where k = 1")).toBe("1");
    expect(parseInt(await sql(port(cluster, newLeader), TIMELINE), 16)).toBe(timeline + 1);
    const members = await cluster.members();
    expect(members?.find((m) => m.role === "leader")?.name).toBe(newLeader);

    // The old leader's node comes back and rejoins as a standby of the new leader (pg_rewind if it diverged).
    const t1 = performance.now();
    await cluster.startNode(oldLeader);
    await eventually(`${oldLeader} streaming from ${newLeader}`, 90_000, async () => {
      const r = await cluster.readiness();
      return r.ready && r.leader === newLeader ? true : undefined;
    });
    console.log(`[pg e2e] ${oldLeader} restarted → streaming after ${Math.round(performance.now() - t1)} ms`);
    expect(await sql(port(cluster, oldLeader), "select pg_is_in_recovery()")).toBe("t");

    // Stop leaves no process (tagged, or naming the run directory or the scope in its title) and no listener.
    await cluster.stop();
    stopped = true;
    expect(processesOfRun(runId)).toEqual([]);
    expect(processesNaming(runDir)).toEqual([]);
    expect(processesNaming(`postgres: ${cluster.plan.scope}:`)).toEqual([]);
    const listening = listeningPorts();
    expect(allPorts.filter((p) => listening.has(p))).toEqual([]);
  }, 400_000);

  it("should leave no process of the cluster when its harness is SIGKILLed", async () => {
    const runDir = mkdtempSync(join(tmpdir(), "faultline-e2e-pg-death-"));
    chmodSync(runDir, 0o755);
    onTestFinished(({ task }) => {
      if (task.result?.state === "pass") rmSync(runDir, { recursive: true, force: true });
    });
    const runId = `e2e-pg-death-${process.pid}-${Date.now()}`;
    const scope = `fl-death-${process.pid}`;
    // `node --import tsx` rather than the tsx CLI, which would run the script in a child that outlives a SIGKILL.
    const harness = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        join(ROOT, "test", "e2e", "support", "pg-cluster-harness.ts"),
        runDir,
        runId,
        scope,
      ],
      { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] },
    );
    onTestFinished(() => void harness.kill("SIGKILL"));
    const line = await new Promise<string>((resolve, reject) => {
      let out = "";
      harness.stdout!.on("data", (d: Buffer) => {
        out += d.toString();
        if (out.includes("\n")) resolve(out.split("\n")[0]!);
      });
      harness.once("exit", (code) =>
        reject(new Error(`stand-in harness exited (${code}) before ready: ${out}`)),
      );
    });
    const started = JSON.parse(line) as { postgres: number; patroni: number; etcd: number };
    expect(started.postgres).toBeGreaterThan(1);
    expect(processesNaming(`postgres: ${scope}:`).length).toBeGreaterThan(0); // its children run too

    harness.kill("SIGKILL");
    // Patroni and etcd die with it (parent-death signal), the watchdog kills the detached PostgreSQL.
    await eventually("every process of the dead harness's cluster gone", 10_000, async () =>
      processesOfRun(runId).length === 0 &&
      processesNaming(runDir).length === 0 &&
      processesNaming(`postgres: ${scope}:`).length === 0
        ? true
        : undefined,
    );
  }, 200_000);
});
