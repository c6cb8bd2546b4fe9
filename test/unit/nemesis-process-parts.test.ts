import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Op } from "../../checkers/history/index.js";
import { buildClusterTimeline } from "../../harness/report/index.js";
import { clusterRoles, roleOf } from "../../harness/report/cluster-roles.js";
import { describeFault } from "../../harness/report/fault-words.js";
import type {
  HasConsensusLeader,
  HasProcessParts,
  ProcessPart,
  RestartOptions,
} from "../../core/cluster/index.js";
import { validatingCluster } from "../../core/cluster/index.js";
import { createRandom } from "../../core/random/index.js";
import { InputError } from "../../core/errors/index.js";
import { FaultNotApplied } from "../../nemesis/core/index.js";
import { startWindow, windowOpName, type WindowContext } from "../../nemesis/execute/index.js";
import { faultResidue, healCluster } from "../../nemesis/heal/index.js";
import {
  checkSchedule,
  describeAction,
  generateSchedule,
  parseNemesisFlag,
  parseSchedule,
  processSelectorsMayOverlap,
  resolveProcesses,
  type FaultWindow,
} from "../../nemesis/schedule/index.js";
import { fakeFaultCluster, type FakeFaultCluster } from "./support/fake-fault-cluster.js";

const dir = mkdtempSync(join(tmpdir(), "faultline-parts-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const w = (
  window: Omit<FaultWindow, "id" | "start" | "duration" | "seed"> & Partial<FaultWindow>,
): FaultWindow => ({ id: "f1", start: 0, duration: 1000, seed: 1, ...window }) as FaultWindow;

/**
 * The fake cluster whose data nodes run a failover agent and a data process apart (managers are one process),
 * and whose managers name a consensus leader: whole-node calls go to the fake, part calls are kept here.
 */
function partsCluster(consensusLeader: string | undefined) {
  const f = fakeFaultCluster({ dir });
  const down = new Set<string>();
  const paused = new Set<string>();
  const calls: string[] = [];
  const key = (n: string, p: ProcessPart): string => `${n}/${p}`;
  const inner = f.cluster;
  const cluster: FakeFaultCluster & HasProcessParts & HasConsensusLeader = {
    ...inner,
    processParts: (n) => (n.startsWith("n") ? ["agent", "store"] : []),
    consensusLeader: () => Promise.resolve(consensusLeader),
    kill(n, part?: ProcessPart) {
      if (part === undefined) return inner.kill(n);
      calls.push(`kill ${key(n, part)}`);
      down.add(key(n, part));
      return Promise.resolve({ node: n, pid: 7, signal: "SIGKILL", part });
    },
    restart(n, options?: RestartOptions) {
      if (options?.part === undefined) return inner.restart(n, options);
      calls.push(`restart ${key(n, options.part)}`);
      down.delete(key(n, options.part));
      return Promise.resolve({ node: n, pid: 8, part: options.part });
    },
    isRunning: (n, part?: ProcessPart) =>
      part === undefined ? inner.isRunning(n) : inner.isRunning(n) && !down.has(key(n, part)),
    pause(n, part?: ProcessPart) {
      if (part === undefined) return inner.pause(n);
      calls.push(`pause ${key(n, part)}`);
      paused.add(key(n, part));
      return Promise.resolve({ node: n, pid: 7, signal: "SIGSTOP", part });
    },
    resume(n, part?: ProcessPart) {
      if (part === undefined) return inner.resume(n);
      calls.push(`resume ${key(n, part)}`);
      paused.delete(key(n, part));
      return Promise.resolve({ node: n, pid: 7, signal: "SIGCONT", part });
    },
  };
  const ctx: WindowContext = { cluster, clients: ["c1", "c2"] };
  return { cluster, ctx, calls, down, paused, state: f.state };
}

describe("kill and pause windows with a part", () => {
  it("should read part from a schedule file, whole node by default, and name a bad part", () => {
    const s = parseSchedule({
      timeLimit: "30s",
      windows: [
        { fault: "kill", target: "leader", params: { part: "agent" }, start: "1s", duration: "20s" },
        { fault: "pause", target: "n2", params: { part: "store" }, start: "22s", duration: "1s" },
        { fault: "kill", target: "n3", start: "24s", duration: "1s" },
      ],
    });
    expect(s.windows.map((x) => x.params)).toEqual([{ part: "agent" }, { part: "store" }, {}]);
    expect(checkSchedule(s, { nodes: 3, managers: 3 })).toEqual({ valid: true });
    const bad = (() => {
      try {
        parseSchedule({
          timeLimit: "30s",
          windows: [{ fault: "kill", target: "leader", params: { part: "patroni" }, start: 0, duration: 1 }],
        });
      } catch (err) {
        return err;
      }
    })();
    expect(bad).toBeInstanceOf(InputError);
    expect((bad as Error).message).toContain('field "windows[0].params.part"');
    expect((bad as Error).message).toContain(
      'must be agent (the node\'s failover agent alone) or store (its data process alone), got "patroni"',
    );
  });

  it("should name the window's ops and describe it with its part", () => {
    const agent = w({ fault: "kill", target: "leader", params: { part: "agent" } });
    expect(windowOpName(agent)).toBe("kill-leader-agent");
    expect(windowOpName(w({ fault: "pause", target: "n2", params: { part: "store" } }))).toBe(
      "pause-n2-store",
    );
    expect(windowOpName(w({ fault: "kill", target: "leader", params: {} }))).toBe("kill-leader");
    expect(describeAction(agent)).toBe("kill leader (its failover agent alone)");
  });

  it("should kill only the leader's agent, record the part, and restart only it", async () => {
    const { ctx, calls, down, state } = partsCluster("s2");
    const active = await startWindow(w({ fault: "kill", target: "leader", params: { part: "agent" } }), ctx);
    expect(active.value).toEqual({
      node: "n1",
      pid: 7,
      nodes: ["n1"],
      pids: [7],
      signal: "SIGKILL",
      part: "agent",
    });
    expect(calls).toEqual(["kill n1/agent"]);
    expect(state.down.size).toBe(0);
    expect(await active.stop()).toEqual({
      node: "n1",
      pid: 8,
      nodes: ["n1"],
      pids: [8],
      restarted: true,
      part: "agent",
    });
    expect(calls).toEqual(["kill n1/agent", "restart n1/agent"]);
    expect(down.size).toBe(0);
  });

  it("should pause and resume only the part", async () => {
    const { ctx, calls, paused } = partsCluster("s2");
    const active = await startWindow(w({ fault: "pause", target: "n3", params: { part: "agent" } }), ctx);
    expect(active.value).toMatchObject({ node: "n3", signal: "SIGSTOP", part: "agent" });
    expect(await active.stop()).toMatchObject({ node: "n3", signal: "SIGCONT", part: "agent" });
    expect(calls).toEqual(["pause n3/agent", "resume n3/agent"]);
    expect(paused.size).toBe(0);
  });

  it("should not apply a part fault where the nodes have no such part, saying why", async () => {
    // A cluster whose nodes are one process each (the fake's, as a Redis node): no agent to kill alone.
    const f = fakeFaultCluster({ dir });
    const ctx: WindowContext = { cluster: f.cluster, clients: [] };
    const err = await startWindow(
      w({ fault: "kill", target: "leader", params: { part: "agent" } }),
      ctx,
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FaultNotApplied);
    expect((err as Error).message).toBe(
      "this cluster's nodes run no failover agent as a process of its own: there is no agent to fault alone (fault the whole node, or its failover managers)",
    );
    expect(f.state.log).toEqual([]);
    // A manager of a cluster with parts has none either.
    const { ctx: withParts, calls } = partsCluster("s2");
    await expect(
      startWindow(w({ fault: "pause", target: "s1", params: { part: "agent" } }), withParts),
    ).rejects.toThrow(new FaultNotApplied("s1 runs no failover agent as a process of its own"));
    expect(calls).toEqual([]);
  });

  it("should skip a part that is already down", async () => {
    const { ctx, down } = partsCluster("s2");
    down.add("n1/agent");
    await expect(
      startWindow(w({ fault: "kill", target: "leader", params: { part: "agent" } }), ctx),
    ).rejects.toThrow(new FaultNotApplied("n1's failover agent already down"));
  });

  it("should let the contract wrapper pass parts through and track them apart from the node", async () => {
    const { cluster } = partsCluster("s2");
    const v = validatingCluster(cluster);
    await v.kill("n1", "agent");
    expect(v.isRunning("n1", "agent")).toBe(false);
    expect(v.isRunning("n1")).toBe(true);
    expect(() => v.kill("n1", "agent")).toThrow("kill(n1/agent): the agent is already down");
    await v.restart("n1", { part: "agent" });
    await v.pause("n1", "agent");
    await v.pause("n1");
    expect(() => v.resume("n1", "store")).toThrow("resume(n1/store): not paused");
    await v.resume("n1", "agent");
    await v.resume("n1");
  });

  it("should find a part left down as residue, and the final heal restart it", async () => {
    const { cluster, calls } = partsCluster("s2");
    await cluster.kill("n2", "agent");
    expect(await faultResidue(cluster)).toEqual(["n2's failover agent is not running"]);
    expect(await healCluster(cluster)).toEqual({ restarted: ["n2/agent"], unskewed: [] });
    expect(calls.at(-1)).toBe("restart n2/agent");
    expect(await faultResidue(cluster)).toEqual([]);
  });
});

describe("the consensus-leader target", () => {
  const topology = { nodes: ["n1", "n2", "n3"], managers: ["s1", "s2", "s3"], clients: [] };
  const random = createRandom(1);

  it("should resolve to the consensus store's leader when one is known, else to nothing", () => {
    expect(
      resolveProcesses("consensus-leader", { topology, leader: "n1", random, consensusLeader: "s3" }),
    ).toEqual(["s3"]);
    expect(resolveProcesses("consensus-leader", { topology, leader: "n1", random })).toEqual([]);
  });

  it("should be a manager: it may meet another manager selector, never a data node's", () => {
    expect(processSelectorsMayOverlap("consensus-leader", "random-manager")).toBe(true);
    expect(processSelectorsMayOverlap("consensus-leader", "s1")).toBe(true);
    expect(processSelectorsMayOverlap("consensus-leader", "leader")).toBe(false);
    expect(processSelectorsMayOverlap("consensus-leader", "n1")).toBe(false);
  });

  it("should kill the member the cluster names as its consensus leader", async () => {
    const { ctx, state } = partsCluster("s2");
    const active = await startWindow(w({ fault: "kill", target: "consensus-leader", params: {} }), ctx);
    expect(active.value).toMatchObject({ node: "s2", signal: "SIGKILL" });
    expect([...state.down]).toEqual(["s2"]);
    await active.stop();
    expect(state.down.size).toBe(0);
  });

  it("should isolate the consensus leader from everyone", async () => {
    const { ctx } = partsCluster("s3");
    const active = await startWindow(
      w({
        fault: "partition",
        target: "consensus-leader",
        params: { kind: "isolate-node", cut: "blackhole" },
      }),
      ctx,
    );
    expect(active.value).toMatchObject({ kind: "isolate-node", node: "s3" });
    await active.stop();
  });

  it("should not apply where the cluster cannot name one, or none is known now", async () => {
    const f = fakeFaultCluster({ dir });
    const plain: WindowContext = { cluster: f.cluster, clients: [] };
    await expect(
      startWindow(w({ fault: "pause", target: "consensus-leader", params: {} }), plain),
    ).rejects.toThrow(
      new FaultNotApplied(
        "this cluster's failover managers keep no consensus store whose leader it can name (consensus-leader)",
      ),
    );
    const { ctx } = partsCluster(undefined);
    await expect(
      startWindow(w({ fault: "kill", target: "consensus-leader", params: {} }), ctx),
    ).rejects.toThrow(new FaultNotApplied("no consensus-leader to kill now"));
    expect(f.state.log).toEqual([]);
  });
});

describe("--nemesis with agent and consensus-leader faults", () => {
  const withBoth = { nodes: 3, managers: 3, agents: true, consensusLeader: true };
  const plain = { nodes: 3, managers: 3 };

  it("should accept the named faults and suggest them for typos", () => {
    expect(
      parseNemesisFlag(
        "kill-leader-agent,pause-leader-agent,kill-consensus-leader,pause-consensus-leader,isolate-consensus-leader",
      ),
    ).toEqual([
      "kill-leader-agent",
      "pause-leader-agent",
      "kill-consensus-leader",
      "pause-consensus-leader",
      "isolate-consensus-leader",
    ]);
    expect(() => parseNemesisFlag("kill-leader-agnet")).toThrow('did you mean "kill-leader-agent"');
  });

  it("should draw the leader's agent and the consensus leader where the store has them", () => {
    const s = generateSchedule(
      {
        faults: ["kill-leader-agent", "pause-leader-agent", "kill-consensus-leader"],
        cluster: withBoth,
        timeLimit: 300_000,
        interval: 3_000,
      },
      5,
    );
    expect(s.windows.length).toBeGreaterThan(10);
    const shapes = new Set(s.windows.map((x) => `${x.fault} ${x.target} ${JSON.stringify(x.params)}`));
    expect([...shapes].sort()).toEqual([
      "kill consensus-leader {}",
      'kill leader {"part":"agent"}',
      'pause leader {"part":"agent"}',
    ]);
    expect(checkSchedule(s, withBoth)).toEqual({ valid: true });
  });

  it("should refuse them by name for a store without them, saying why", () => {
    expect(() => generateSchedule({ faults: ["kill-leader-agent"], cluster: plain }, 1)).toThrow(
      'fault "kill-leader-agent" cannot run on a cluster of 3 data node(s) and 3 failover manager(s): its data nodes run no failover agent as a process of their own',
    );
    expect(() => generateSchedule({ faults: ["isolate-consensus-leader"], cluster: plain }, 1)).toThrow(
      "its failover managers keep no consensus store with a leader of its own",
    );
  });

  it("should leave them out of a family for a store without them, and draw them in it for one with them", () => {
    const family = (cluster: typeof plain) =>
      generateSchedule(
        { faults: ["kill", "pause", "partition"], cluster, timeLimit: 600_000, interval: 2_000 },
        9,
      ).windows;
    const names = (ws: readonly FaultWindow[]) => new Set(ws.map((x) => windowOpName(x)));
    const withoutParts = family(plain);
    expect(withoutParts.some((x) => "part" in x.params)).toBe(false);
    expect(withoutParts.some((x) => x.target === "consensus-leader")).toBe(false);
    const drawn = names(family(withBoth));
    expect(drawn.has("kill-leader-agent")).toBe(true);
    expect(drawn.has("kill-consensus-leader")).toBe(true);
  });
});

describe("a part fault in the report's words", () => {
  const at = (t: number, o: Omit<Op, "index" | "time">, index: number): Op =>
    ({ index, time: t * 1e6, ...o }) as Op;
  const config = {
    run: {
      cluster: {
        nodes: ["n1", "n2", "n3"].map((name) => ({ name, role: "data" })),
        clients: ["c1"],
      },
    },
  };

  it("should say which part was killed and that the other kept running", () => {
    const h = [
      at(0, { process: "monitor", type: "info", f: "leader", value: "n1" }, 0),
      at(1, { process: "nemesis", type: "invoke", f: "start-kill-leader-agent", value: { window: "f1" } }, 1),
      at(
        2,
        {
          process: "nemesis",
          type: "ok",
          f: "start-kill-leader-agent",
          value: { window: "f1", node: "n1", pid: 5, signal: "SIGKILL", part: "agent" },
        },
        2,
      ),
      at(
        3000,
        { process: "nemesis", type: "invoke", f: "stop-kill-leader-agent", value: { window: "f1" } },
        3,
      ),
      at(
        3002,
        {
          process: "nemesis",
          type: "ok",
          f: "stop-kill-leader-agent",
          value: { window: "f1", node: "n1", pid: 6, restarted: true, part: "agent" },
        },
        4,
      ),
    ];
    const tl = buildClusterTimeline(h);
    expect(describeFault(tl.faults[0]!, { tl, roleOf: roleOf(clusterRoles(config, tl)) })).toBe(
      "killed the failover agent of n1 (the leader) (its data process kept running), restarted after 3.0 s",
    );
  });
});
