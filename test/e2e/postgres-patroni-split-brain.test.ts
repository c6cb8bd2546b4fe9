import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  ensureBuilt,
  expectNothingLeft,
  flags,
  historyOps,
  readJson,
  runDirOf,
  runFaultline,
  tempStore,
} from "./support/spine-helpers.js";

beforeAll(() => ensureBuilt(), 300_000);

// Issue 13, "What must be shown" 6: the primary loses its failover agent (killed) or its agent loses etcd (cut
// off), in sync-strict mode. Each window lasts 32 s, longer than Patroni's ttl of 20 s, so the leader lock
// expires and a standby is promoted while the fault holds; the quiet time after it lets the old primary rejoin.
const WINDOW = { start: "5s", duration: "32s" };
const TIME_LIMIT = "45s";
const RUN =
  "run --store postgres-patroni --workload set --replication sync-strict --recovery-timeout 150s --seed 13";

type Op = Record<string, any>;

/** Writes `windows` as a schedule file in `dir` and returns its path. */
function scheduleFile(dir: string, windows: unknown[]): string {
  const file = join(dir, "schedule.json");
  writeFileSync(file, JSON.stringify({ timeLimit: TIME_LIMIT, quietPeriod: "8s", windows }));
  return file;
}

/** Runs the store under `windows`, then re-checks the run with the set and split-brain checkers. */
async function runAndCheck(label: string, windows: unknown[]) {
  const store = tempStore(label);
  const r = await runFaultline(
    [...flags(RUN), "--schedule", scheduleFile(store, windows), "--store-dir", store],
    {
      timeoutMs: 420_000,
    },
  );
  const dir = runDirOf(store);
  // The split-brain checker over the same history (the set workload's own checker is `set`): results.json is
  // rewritten with both verdicts.
  const check = await runFaultline(["check", dir, "--checker", "set,split-brain"], { timeoutMs: 120_000 });
  return { r, check, dir, ops: historyOps(dir), results: readJson(join(dir, "results.json")).results };
}

/** The monitor's `writable-leaders` samples: the data nodes that answered as primaries, on each change. */
function writableSamples(ops: readonly Op[]): string[][] {
  return ops.filter((o) => o.process === "monitor" && o.f === "writable-leaders").map((o) => o.value);
}

/** Nanoseconds as seconds, for the log lines. */
const secs = (ns: number): string => `${(ns / 1e9).toFixed(1)} s`;

/** Each client op's completion with its invoke time (`invoke`, ns) and completion time (`end`, ns). */
function paired(
  ops: readonly Op[],
): { f: string; type: string; node?: string; invoke: number; end: number }[] {
  const open = new Map<number, Op>();
  const out = [];
  for (const o of ops) {
    if (typeof o.process !== "number") continue;
    if (o.type === "invoke") open.set(o.process, o);
    else {
      const inv = open.get(o.process);
      open.delete(o.process);
      if (inv) out.push({ f: o.f, type: o.type, node: o.node, invoke: inv.time, end: o.time });
    }
  }
  return out;
}

/** The first leader the monitor reported after `time` (ns) that is not `old`. */
function newLeaderAfter(ops: readonly Op[], time: number, old: string): Op | undefined {
  return ops.find(
    (o) =>
      o.process === "monitor" && o.f === "leader" && o.time > time && o.value !== null && o.value !== old,
  );
}

describe("faultline run --store postgres-patroni --replication sync-strict: split brain", () => {
  it("a killed Patroni agent on the primary: PostgreSQL keeps running as a second primary, but cannot acknowledge a write; failover, no split brain, nothing lost", async () => {
    const { r, check, dir, ops, results } = await runAndCheck("pg-agent-kill", [
      { ...WINDOW, fault: "kill", target: "leader", params: { part: "agent" } },
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("verdict: valid");
    // 0, or 1 for the split-brain checker's known false alarm checked below.
    expect([0, 1], check.stderr).toContain(check.code);

    const start = ops.find(
      (o) => o.process === "nemesis" && o.f === "start-kill-leader-agent" && o.type === "ok",
    );
    expect(start?.type, JSON.stringify(start)).toBe("ok");
    expect(start!.value).toMatchObject({ signal: "SIGKILL", part: "agent" });
    const old = start!.value.node as string;
    const stop = ops.find(
      (o) => o.process === "nemesis" && o.f === "stop-kill-leader-agent" && o.type === "ok",
    );
    expect(stop!.value).toMatchObject({ restarted: true, part: "agent", node: old });

    // Failover: the leader lock expired (the dead agent could not renew it) and a standby was promoted.
    const promoted = newLeaderAfter(ops, start!.time, old);
    expect(promoted, "a new leader after the agent was killed").toBeDefined();
    expect(promoted!.time).toBeLessThan(stop!.time);
    expect(
      ops.some(
        (o) => o.f === "manager-event" && o.value.kind === "promoted" && o.value.node === promoted!.value,
      ),
    ).toBe(true);

    // The finding: with its agent dead nothing demotes the old primary (no watchdog), so the monitor saw two
    // PostgreSQL servers answering as primaries at once until the agent came back and demoted it …
    const during = ops.filter(
      (o) =>
        o.process === "monitor" && o.f === "writable-leaders" && o.time > start!.time && o.time < stop!.time,
    );
    expect(during.some((o) => o.value.includes(old) && o.value.includes(promoted!.value))).toBe(true);
    // … after which only one primary is left.
    expect(writableSamples(ops).at(-1)).toEqual([expect.any(String)]);

    // … but in sync-strict mode it could not acknowledge what it was sent: its commits waited for a synchronous
    // standby that now follows the new primary, until they timed out (info) or its agent came back and demoted it
    // (before the promotion its standby still streamed from it, so everything it acknowledged was replicated).
    const adds = paired(ops).filter((p) => p.f === "add");
    const waited = adds.filter(
      (p) => p.node === old && p.type === "info" && p.invoke > start!.time && p.invoke < stop!.time,
    );
    expect(waited.length, "commits on the old primary waited").toBeGreaterThan(0);
    // No write was acknowledged by the old primary after the new one had acknowledged one (leaders alternating).
    const firstNew = adds.find((p) => p.type === "ok" && p.node === promoted!.value && p.end > start!.time);
    expect(firstNew, "the new primary served writes after the failover").toBeDefined();
    expect(adds.filter((p) => p.type === "ok" && p.node === old && p.invoke > firstNew!.end)).toEqual([]);
    const lastOld = Math.max(...adds.filter((p) => p.type === "ok" && p.node === old).map((p) => p.end));
    console.log(
      `agent killed: leader lock moved after ${secs(promoted!.time - start!.time)}, two primaries for ` +
        `${secs(stop!.time - promoted!.time)}+ (until the agent came back), ${waited.length} commits waited on the ` +
        `old primary, no write acknowledged for ${secs(firstNew!.end - lastOld)}`,
    );
    // The split-brain checker judges acknowledged writes against the leader the failover managers name. Patroni
    // moves its leader lock before the new primary is promoted, and until then the old primary's synchronous
    // standby — the node being promoted — still acknowledges its commits: in CI the old primary acknowledged 7
    // writes in the 66 ms after the lock moved, all replicated, none lost. The checker calls that split brain, a
    // false alarm (known, to be fixed in the checker: a node should count as leader from its first acknowledged
    // write, not from the report). Until then: any episode it reports ends before the new primary's first
    // acknowledged write, and no acknowledged write is lost.
    const sb = results["split-brain"];
    expect(sb.ackCount).toBeGreaterThan(0);
    for (const e of (sb.episodes ?? []) as { node: string; to: { time: number } }[]) {
      expect(e.node).toBe(old);
      expect(e.to.time, JSON.stringify(sb.anomalies)).toBeLessThan(firstNew!.end);
    }
    expect(results.set.lostCount).toBe(0);
    await expectNothingLeft(dir);
  }, 600_000);

  it("the primary's agent cut off from etcd: Patroni demotes it before its lock expires, a standby takes over, never two primaries, nothing lost", async () => {
    const { r, check, dir, ops, results } = await runAndCheck("pg-agent-cut", [
      {
        ...WINDOW,
        fault: "partition",
        target: "leader",
        params: { kind: "one-way", to: "all-managers", cut: "blackhole" },
      },
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("verdict: valid");
    expect(check.code, check.stderr).toBe(0);

    const start = ops.find(
      (o) => o.process === "nemesis" && o.f === "start-partition-one-way" && o.type === "ok",
    );
    expect(start?.type, JSON.stringify(start)).toBe("ok");
    const [old] = start!.value.from as string[];
    expect(start!.value.to).toEqual(["s1", "s2", "s3"]);
    // Only the agent's links to etcd were cut: clients and standbys still reached the old primary.
    expect([...start!.value.links].sort()).toEqual([`${old}->s1`, `${old}->s2`, `${old}->s3`]);
    const stop = ops.find(
      (o) => o.process === "nemesis" && o.f === "stop-partition-one-way" && o.type === "ok",
    );

    const promoted = newLeaderAfter(ops, start!.time, old);
    expect(promoted, "a new leader while the old one was cut from etcd").toBeDefined();
    expect(promoted!.time).toBeLessThan(stop!.time);
    // The old primary stopped being one (Patroni demoted it, as it could not renew its lock) …
    const demoted = ops.find(
      (o) =>
        o.process === "monitor" &&
        o.f === "writable-leaders" &&
        o.time > start!.time &&
        !o.value.includes(old),
    );
    expect(demoted, "the old primary demoted").toBeDefined();
    expect(demoted!.time).toBeLessThan(stop!.time);
    // … before any other node became one: the monitor never saw two primaries.
    expect(writableSamples(ops).filter((w) => w.length > 1)).toEqual([]);
    console.log(
      `agent cut from etcd: old primary demoted after ${secs(demoted!.time - start!.time)}, leader lock moved ` +
        `after ${secs(promoted!.time - start!.time)}`,
    );
    expect(results["split-brain"].valid, JSON.stringify(results["split-brain"].anomalies)).toBe(true);
    expect(results["split-brain"].ackCount).toBeGreaterThan(0);
    expect(results.set.lostCount).toBe(0);
    await expectNothingLeft(dir);
  }, 600_000);

  it("pauses the primary's Patroni alone, kills its PostgreSQL alone and kills the etcd leader, each recorded with what it hit", async () => {
    const store = tempStore("pg-parts");
    const file = join(store, "schedule.json");
    writeFileSync(
      file,
      JSON.stringify({
        timeLimit: "30s",
        quietPeriod: "5s",
        windows: [
          { fault: "pause", target: "leader", params: { part: "agent" }, start: "3s", duration: "3s" },
          { fault: "kill", target: "leader", params: { part: "store" }, start: "8s", duration: "4s" },
          // Last: losing the etcd leader can make the primary's Patroni miss its retry deadline and demote
          // (docs/stores/postgres-patroni.md §9), leaving no leader for a while.
          { fault: "kill", target: "consensus-leader", start: "15s", duration: "5s" },
        ],
      }),
    );
    const r = await runFaultline([...flags(RUN), "--schedule", file, "--store-dir", store], {
      timeoutMs: 420_000,
    });
    const dir = runDirOf(store);
    expect(r.code, r.stderr).toBe(0);
    const ops = historyOps(dir);
    const done = (f: string): Op | undefined =>
      ops.find((o) => o.process === "nemesis" && o.f === f && o.type === "ok");
    // The etcd leader by the members' own status: a consensus member was killed and started again.
    expect(done("start-kill-consensus-leader")?.value).toMatchObject({
      outcome: "applied",
      node: expect.stringMatching(/^s[123]$/),
      signal: "SIGKILL",
    });
    expect(done("stop-kill-consensus-leader")?.value).toMatchObject({ restarted: true });
    // Patroni alone paused and resumed; its PostgreSQL alone killed, and started again by Patroni itself.
    expect(done("start-pause-leader-agent")?.value).toMatchObject({ signal: "SIGSTOP", part: "agent" });
    expect(done("stop-pause-leader-agent")?.value).toMatchObject({ signal: "SIGCONT", part: "agent" });
    const kill = done("start-kill-leader-store");
    expect(kill?.value).toMatchObject({ signal: "SIGKILL", part: "store" });
    const back = done("stop-kill-leader-store");
    expect(back?.value).toMatchObject({ restarted: true, part: "store", node: kill!.value.node });
    expect(back!.value.pid).not.toBe(kill!.value.pid);
    const results = readJson(join(dir, "results.json"));
    expect(results.faults).toMatchObject({ scheduled: 3, applied: 3 });
    expect(results.results.set.lostCount).toBe(0);
    await expectNothingLeft(dir);
  }, 600_000);
});
