import { describe, expect, it } from "vitest";
import {
  noopCluster,
  validatingCluster,
  ClusterContractError,
  type HasLeader,
  type Killable,
  type LinkRule,
  type NodeInfo,
  type Partitionable,
  type StartedCluster,
} from "../../core/cluster/index.js";
import { manualClock } from "../../core/clock/index.js";
import { openHistoryWriter } from "../../core/history/index.js";
import { createRandom } from "../../core/random/index.js";
import { runFinalPhase, runNemesis } from "../../harness/runner/index.js";
import { noopClient, type Completion } from "../../core/clients/index.js";
import { validateHistory } from "../../checkers/history/index.js";
import { setWorkload } from "../../workloads/index.js";
import {
  faultNemesis,
  faultOpName,
  noopNemesis,
  parseFaultOp,
  validatingNemesis,
} from "../../nemesis/core/index.js";
import type { Schedule } from "../../nemesis/cycle/index.js";
import { killLeader, partitionLeader } from "../../nemesis/faults/index.js";

const node = (name: string): NodeInfo => ({
  name,
  role: name.startsWith("n") ? "data" : "failover-manager",
  admin: { host: "127.0.0.1", port: 1 },
  public: { host: "127.0.0.1", port: 2 },
  sourceAddress: "127.0.0.1",
  dir: "/nowhere",
});

/** An in-memory cluster with every ability, recording what was done to it. */
function fakeCluster(leader: string | null = "n1") {
  const down = new Set<string>();
  const cut: LinkRule[][] = [];
  const log: string[] = [];
  let pid = 100;
  const c: StartedCluster & Killable & HasLeader & Partitionable = {
    nodes: ["n1", "n2", "n3", "s1", "s2", "s3"].map(node),
    clients: ["c1", "c2", "c3", "c4"].map((name) => ({ name, endpoints: new Map() })),
    stop: () => Promise.resolve({ logs: new Map() }),
    [Symbol.asyncDispose]: () => Promise.resolve(),
    kill: (n) => (down.add(n), log.push(`kill ${n}`), Promise.resolve({ node: n, pid, signal: "SIGKILL" })),
    restart: (n) => (down.delete(n), log.push(`restart ${n}`), Promise.resolve({ node: n, pid: ++pid })),
    isRunning: (n) => !down.has(n),
    leader: () => Promise.resolve(leader ?? undefined),
    awaitHealthy: () => Promise.resolve(leader ?? "n1"),
    cutLinks: (rules) => {
      cut.push([...rules]);
      log.push(`cut ${rules.length}`);
      return Promise.resolve({ rules, heal: () => (log.push("heal cut"), Promise.resolve()) });
    },
    heal: () => (log.push("heal all"), Promise.resolve()),
  };
  return { cluster: c, down, cut, log };
}

describe("faultNemesis with killLeader", () => {
  it("should kill the leader the managers name, then restart that node on stop", async () => {
    const f = fakeCluster("n2");
    const n = validatingNemesis(
      faultNemesis([killLeader()], {
        cluster: validatingCluster(f.cluster),
        clients: [],
        random: createRandom(1),
      }),
    );
    await n.setup();
    expect(await n.invoke({ f: "start-kill-leader" })).toEqual({
      type: "ok",
      value: { node: "n2", pid: 100, signal: "SIGKILL" },
    });
    expect(n.healOps()).toEqual([{ f: "stop-kill-leader" }]);
    expect(await n.invoke({ f: "start-kill-leader" })).toMatchObject({
      type: "fail",
      error: "kill-leader is already active",
    });
    expect(await n.invoke({ f: "stop-kill-leader" })).toEqual({
      type: "ok",
      value: { node: "n2", pid: 101, restarted: true },
    });
    expect(await n.invoke({ f: "stop-kill-leader" })).toMatchObject({ type: "fail" });
    expect(f.log).toEqual(["kill n2", "restart n2"]);
    await n.teardown();
  });

  it("should fail, changing nothing, when no leader is agreed", async () => {
    const f = fakeCluster(null);
    const n = faultNemesis([killLeader()], { cluster: f.cluster, clients: [], random: createRandom(1) });
    expect(await n.invoke({ f: "start-kill-leader" })).toEqual({
      type: "fail",
      error: "the failover managers do not agree on a leader",
    });
    expect(f.log).toEqual([]);
  });

  it("should fail on a cluster without the abilities", async () => {
    const n = faultNemesis([killLeader(), partitionLeader()], {
      cluster: await noopCluster().start(),
      clients: [],
      random: createRandom(1),
    });
    expect((await n.invoke({ f: "start-kill-leader" })).type).toBe("fail");
    expect((await n.invoke({ f: "start-partition-leader" })).type).toBe("fail");
    expect((await n.invoke({ f: "start-pause-leader" })).error).toBe("unknown nemesis op start-pause-leader");
  });

  it("should end every active fault on teardown", async () => {
    const f = fakeCluster();
    const n = faultNemesis([killLeader()], { cluster: f.cluster, clients: [], random: createRandom(1) });
    await n.invoke({ f: "start-kill-leader" });
    await n.teardown();
    expect(f.log).toEqual(["kill n1", "restart n1"]);
    expect(n.healOps()).toEqual([]);
  });
});

describe("partitionLeader", () => {
  it("should cut the leader and a seeded group of clients from everything else, both ways, and heal just that", async () => {
    const f = fakeCluster("n1");
    const n = faultNemesis([partitionLeader()], {
      cluster: f.cluster,
      clients: ["c1", "c2", "c3", "c4"],
      random: createRandom(9),
    });
    const started = await n.invoke({ f: "start-partition-leader" });
    expect(started.type).toBe("ok");
    const v = started.value as { leader: string; withLeader: string[]; others: string[]; links: string[] };
    expect(v.leader).toBe("n1");
    expect(v.withLeader[0]).toBe("n1");
    expect(v.withLeader).toHaveLength(3); // n1 + half of 4 clients
    expect([...v.withLeader, ...v.others].sort()).toEqual([
      "c1",
      "c2",
      "c3",
      "c4",
      "n1",
      "n2",
      "n3",
      "s1",
      "s2",
      "s3",
    ]);
    const rules = f.cut[0]!;
    const side = new Set(v.withLeader);
    for (const r of rules) {
      expect(side.has(r.source)).not.toBe(side.has(r.destination));
      expect(r.destination).toMatch(/^[ns]\d$/); // only servers accept connections
    }
    // Both streams of the followers' replication link to the leader, and of every other-side client's link.
    for (const src of ["n2", "n3", "s1", "s2", "s3", ...v.others.filter((c) => c.startsWith("c"))]) {
      expect(rules).toContainEqual({ source: src, destination: "n1", stream: "upstream" });
      expect(rules).toContainEqual({ source: src, destination: "n1", stream: "downstream" });
    }
    expect(v.links).toContain("n2->n1");
    await n.invoke({ f: "stop-partition-leader" });
    expect(f.log).toEqual([`cut ${rules.length}`, "heal cut"]);
  });

  it("should choose the same clients for the same seed", async () => {
    const choose = async (seed: number) => {
      const f = fakeCluster();
      const n = faultNemesis([partitionLeader()], {
        cluster: f.cluster,
        clients: ["c1", "c2", "c3", "c4"],
        random: createRandom(seed),
      });
      return ((await n.invoke({ f: "start-partition-leader" })).value as { withLeader: string[] }).withLeader;
    };
    expect(await choose(4)).toEqual(await choose(4));
  });
});

describe("validatingCluster", () => {
  it("should refuse faults on unknown or already-down nodes and anything after stop", async () => {
    const f = fakeCluster();
    const c = validatingCluster(f.cluster);
    await expect(Promise.resolve().then(() => c.kill("n9"))).rejects.toBeInstanceOf(ClusterContractError);
    await c.kill("n1");
    await expect(Promise.resolve().then(() => c.kill("n1"))).rejects.toThrow(/already down/);
    await expect(Promise.resolve().then(() => c.restart("n2"))).rejects.toThrow(/is running/);
    await expect(
      Promise.resolve().then(() => c.cutLinks([{ source: "n1", destination: "c1", stream: "upstream" }])),
    ).rejects.toThrow(/accepts no connections/);
    const first = await c.stop();
    expect(await c.stop()).toBe(first);
    await expect(Promise.resolve().then(() => c.restart("n1"))).rejects.toThrow(/after stop/);
  });
});

describe("runNemesis", () => {
  it("should record every op as invoke + completion and heal what is active at the end", async () => {
    const f = fakeCluster();
    const history = openHistoryWriter({ clock: manualClock() });
    let remaining = 3;
    await runNemesis({
      nemesis: faultNemesis([killLeader()], { cluster: f.cluster, clients: [], random: createRandom(1) }),
      // The time limit is reached before a stop step could come: the stop is the nemesis's heal.
      schedule: [
        { kind: "sleep", ms: 0 },
        { kind: "op", f: "start-kill-leader" },
        { kind: "sleep", ms: 0 },
      ] satisfies Schedule,
      history,
      remainingMs: () => remaining--,
      signal: new AbortController().signal,
    });
    expect(history.ops.map((o) => `${o.type} ${o.f}`)).toEqual([
      "invoke start-kill-leader",
      "ok start-kill-leader",
      "invoke stop-kill-leader",
      "ok stop-kill-leader",
    ]);
    expect(history.ops.every((o) => o.process === "nemesis")).toBe(true);
  });

  it("should do nothing with the noop nemesis", async () => {
    const history = openHistoryWriter({ clock: manualClock() });
    await runNemesis({
      nemesis: noopNemesis(),
      schedule: [],
      history,
      remainingMs: () => 1,
      signal: new AbortController().signal,
    });
    expect(history.ops).toEqual([]);
  });
});

describe("faultOpName", () => {
  it("should name fault ops so that they parse back", () => {
    expect(parseFaultOp(faultOpName("stop", "kill-leader"))).toEqual({ phase: "stop", fault: "kill-leader" });
    expect(parseFaultOp("final-heal")).toBeUndefined();
  });
});

describe("runFinalPhase", () => {
  it("should heal, restart what is down, wait for a leader, and retry the final read until it succeeds", async () => {
    const f = fakeCluster("n2");
    await f.cluster.kill("n1");
    const history = openHistoryWriter({ clock: manualClock() });
    const answers: Completion[] = [
      { type: "fail", error: "Stream isn't writeable" },
      { type: "info", error: "Command timed out" },
      { type: "ok", value: [1, 2], node: "n2" },
    ];
    const outcome = await runFinalPhase({
      cluster: f.cluster,
      history,
      workload: setWorkload(),
      makeClient: () => ({ ...noopClient(), invoke: () => Promise.resolve(answers.shift()!) }),
      reader: { clientName: "c1", process: 3 },
      concurrency: 5,
      recoveryTimeoutMs: 5000,
      signal: new AbortController().signal,
    });
    expect(outcome).toEqual({ leader: "n2", readsDone: true });
    expect(f.log).toEqual(["kill n1", "heal all", "restart n1"]);
    const entries = history.ops.map((o) => `${String(o.process)} ${o.type} ${o.f}`);
    expect(entries).toEqual([
      "nemesis invoke final-heal",
      "nemesis ok final-heal",
      "monitor info recovered",
      "3 invoke read",
      "3 fail read",
      "3 invoke read",
      "3 info read",
      "8 invoke read",
      "8 ok read",
    ]);
    expect(history.ops.at(-1)?.value).toEqual([1, 2]);
    validateHistory(history.ops);
  });

  it("should take a final read's own completion, not an entry the monitor appended while the read was in flight", async () => {
    const f = fakeCluster("n1");
    const history = openHistoryWriter({ clock: manualClock() });
    let reads = 0;
    const outcome = await runFinalPhase({
      cluster: f.cluster,
      history,
      workload: setWorkload(),
      makeClient: () => ({
        ...noopClient(),
        invoke: () => {
          reads++;
          // The monitor keeps recording while the read waits for its answer.
          history.append({ process: "monitor", type: "info", f: "leader", value: "n1" });
          return Promise.resolve({ type: "ok", value: [7], node: "n1" });
        },
      }),
      reader: { clientName: "c1", process: 0 },
      concurrency: 5,
      recoveryTimeoutMs: 2000,
      signal: new AbortController().signal,
    });
    expect(outcome).toEqual({ leader: "n1", readsDone: true });
    expect(reads).toBe(1);
    expect(history.ops.map((o) => `${String(o.process)} ${o.type} ${o.f}`).slice(-3)).toEqual([
      "0 invoke read",
      "monitor info leader",
      "0 ok read",
    ]);
  });
});
