import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import {
  ensureBuilt,
  expectNothingLeft,
  finish,
  fullList,
  historyOps,
  readJson,
  runDirOf,
  startFaultline,
  tempStore,
} from "./support/spine-helpers.js";

beforeAll(() => ensureBuilt(), 120_000);

// The anomaly of synchronous replication the issue asks set-full to name (issue 13, "What must be shown" 2), made
// on purpose on a real cluster (PostgreSQL 15, Patroni, etcd, every link through faultline's proxy):
//
// 1. `cut` blackholes every standby's link to the primary. The connections stay open (nothing is reset), so the
//    primary's walsenders still list the synchronous standby and Patroni keeps it synchronous (and the only
//    standby allowed to take over); every commit waits for it. The clients give up after their op timeout
//    (`info`); their backends go on waiting (PostgreSQL disarms statement_timeout before the wait).
// 2. The test, on its own direct connection to the primary, terminates the backends waiting for the standby:
//    PostgreSQL warns "canceling the wait for synchronous replication …" and the commits, already durable on the
//    primary, become visible there. The workload's reads (every 10th op) see them.
// 3. `crash` kills the primary's node (Patroni and PostgreSQL) while the link stays cut: after Patroni's ttl the
//    synchronous standby, which never received those commits, is promoted. The old primary comes back later and
//    is rewound onto the new timeline; the link heals.
// 4. The final read lacks the rows the reads had seen: set-full names them lost (known through a read, never
//    acknowledged), the verdict is invalid; the set checker finds no acknowledged write lost.
const CUT_START_MS = 8_000;
const CRASH_START_MS = 20_000;
const SCHEDULE = {
  timeLimit: "75s",
  windows: [
    {
      id: "cut",
      fault: "link",
      target: "replication",
      params: { toxic: "blackhole" },
      start: CUT_START_MS,
      duration: "52s",
    },
    { id: "crash", fault: "kill", target: "leader", start: CRASH_START_MS, duration: "37s" },
  ],
};

/** The history's `start-…` completion of window `id`. */
function windowStart(ops: readonly Record<string, any>[], id: string): Record<string, any> | undefined {
  return ops.find(
    (o) =>
      o.process === "nemesis" &&
      String(o.f).startsWith("start-") &&
      o.type !== "invoke" &&
      o.value?.window === id,
  );
}

async function until<T>(what: string, ms: number, fn: () => T | undefined): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("faultline run --store postgres-patroni --replication sync-strict: a cancelled wait for the synchronous standby", () => {
  it("should name rows read on the old primary and gone after failover as lost in set-full, with no acknowledged write lost", async () => {
    const store = tempStore("pg-sync-cancel");
    const scheduleFile = join(store, "schedule.json");
    writeFileSync(scheduleFile, JSON.stringify(SCHEDULE));
    const child = startFaultline([
      "run",
      "--store",
      "postgres-patroni",
      "--workload",
      "set",
      "--replication",
      "sync-strict",
      "--schedule",
      scheduleFile,
      "--recovery-timeout",
      "150s",
      "--seed",
      "11",
      "--store-dir",
      store,
    ]);
    const done = finish(child, 480_000);

    // The primary the cut isolated from its standbys, and its real listener (not the proxy's) for the test's
    // own admin connection.
    const dir = await until("the run directory", 240_000, () => {
      try {
        return runDirOf(store);
      } catch {
        return undefined;
      }
    });
    const cut = await until("the replication cut", 300_000, () => {
      if (child.exitCode !== null) throw new Error(`the run ended early:\n${child.out.stderr}`);
      return windowStart(historyOps(dir), "cut");
    });
    expect(cut.type, cut.error).toBe("ok");
    const links = cut.value.links as string[];
    const primary = links[0]!.split("->")[1]!;
    expect(links.sort()).toEqual(
      ["n1", "n2", "n3"]
        .filter((n) => n !== primary)
        .map((n) => `${n}->${primary}`)
        .sort(),
    );
    const nodes = readJson(join(dir, "config.json")).run.cluster.nodes as { name: string; port: number }[];
    const port = nodes.find((n) => n.name === primary)!.port;

    // Cancel the waits: terminate every client backend waiting for the synchronous standby, until shortly before
    // the crash, so reads can still see what the terminations made visible.
    const admin = new pg.Client({ host: "127.0.0.1", port, user: "postgres", database: "postgres" });
    admin.on("error", () => undefined);
    await admin.connect();
    const terminated: { pid: number; app: string }[] = [];
    const stopAt = Date.now() + (CRASH_START_MS - CUT_START_MS) - 5_000;
    try {
      while (Date.now() < stopAt) {
        await new Promise((r) => setTimeout(r, 1_000));
        const r = await admin.query(
          "SELECT pid, application_name AS app, pg_terminate_backend(pid) AS done FROM pg_stat_activity " +
            "WHERE wait_event = 'SyncRep' AND backend_type = 'client backend'",
        );
        terminated.push(...r.rows.filter((x: { done: boolean }) => x.done));
      }
    } finally {
      await admin.end().catch(() => undefined);
    }
    const r = await done;
    expect(terminated.length).toBeGreaterThan(0);
    expect(new Set(terminated.map((t) => t.app))).not.toContain("");

    // The run: invalid (exit 1) because of set-full alone.
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain("verdict: INVALID");
    const ops = historyOps(dir);
    const crash = windowStart(ops, "crash");
    expect(crash?.type, crash?.error).toBe("ok");
    expect(JSON.stringify(crash!.value)).toContain(primary);
    // A standby was promoted while the old primary was down.
    const leaders = ops.filter((o) => o.process === "monitor" && o.f === "leader" && o.time > crash!.time);
    expect(leaders.some((l) => l.value !== null && l.value !== primary)).toBe(true);

    const results = readJson(join(dir, "results.json")).results;
    expect(results.set.valid).toBe(true);
    expect(results.set.lostCount).toBe(0);
    expect(results["set-full"].valid).toBe(false);
    const lost = fullList<{
      element: number;
      known: { op: number; time: number };
      lastSeen: { op: number; time: number } | null;
    }>(dir, "set-full", "lost");
    expect(lost.length).toBeGreaterThan(0);
    const byIndex = new Map(ops.map((o) => [o.index, o]));
    const adds = new Map(
      ops
        .filter((o) => typeof o.process === "number" && o.f === "add" && o.type !== "invoke")
        .map((o) => [o.value as number, o]),
    );
    for (const l of lost) {
      // Never acknowledged: its add is unknown (the client gave up, or the server warned that the wait for the
      // standby was cancelled), and it became known through a read on the old primary, during the cut.
      const add = adds.get(l.element);
      expect(add?.type, `add ${l.element}`).toBe("info");
      const known = byIndex.get(l.known.op)!;
      expect(known.f).toBe("read");
      expect(known.node).toBe(primary);
      expect(l.lastSeen).not.toBeNull();
      expect(known.time).toBeGreaterThan(cut.time);
      expect(known.time).toBeLessThan(crash!.time);
    }
    // The final read, on the new leader, lacks them.
    const finalRead = ops.filter((o) => o.f === "read" && o.type === "ok").at(-1)!;
    expect(finalRead.node).not.toBe(primary);
    for (const l of lost) expect(finalRead.value).not.toContain(l.element);
    // The time writes were unavailable: from the last commit acknowledged before the cut until a new leader
    // acknowledged one, with the writes tried meanwhile unknown or refused, none acknowledged.
    const availability = readJson(join(dir, "results.json")).writeAvailability;
    const longest = availability.stretches[0];
    expect(availability.longestMs).toBe(longest.lengthMs);
    expect(longest.fromMs).toBeLessThanOrEqual(cut.time / 1e6);
    expect(longest.toMs).toBeGreaterThan(crash!.time / 1e6 + 10_000);
    expect(longest.unknown).toBeGreaterThanOrEqual(terminated.length);
    // The report tells both: the stretch on its first screen, and why the lost rows were read yet never
    // acknowledged, in the store's words.
    const html = readFileSync(join(dir, "report.html"), "utf8");
    expect(html).toContain("writes unavailable, the longest stretch with none acknowledged");
    expect(html).toMatch(
      /None of them was acknowledged: every write of them ended unknown, yet a read saw them/,
    );
    expect(html).toContain("canceling the wait for synchronous replication");
    console.log(
      `postgres-patroni sync-cancel: ${terminated.length} waiting backend(s) terminated on ${primary}, ` +
        `${lost.length} element(s) read there and lost after failover to ${finalRead.node}; writes unavailable ` +
        `for ${(availability.longestMs / 1000).toFixed(1)} s`,
    );
    await expectNothingLeft(dir);
  }, 600_000);
});
