import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  scheduleNemesis,
  scheduleSteps,
  startWindow,
  windowOpName,
  windowToxic,
  type WindowContext,
} from "../../nemesis/execute/index.js";
import { FaultNotApplied, validatingNemesis } from "../../nemesis/core/index.js";
import type { FaultWindow, Schedule } from "../../nemesis/schedule/index.js";
import { fakeFaultCluster } from "./support/fake-fault-cluster.js";

const dir = mkdtempSync(join(tmpdir(), "faultline-execute-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SHIM = "/fake/faultline-clock-test.so";
const w = (
  window: Omit<FaultWindow, "id" | "start" | "duration" | "seed"> & Partial<FaultWindow>,
): FaultWindow => ({ id: "f1", start: 0, duration: 1000, seed: 1, ...window }) as FaultWindow;
const schedule = (windows: FaultWindow[]): Schedule => ({
  timeLimit: 60_000,
  quietPeriod: 0,
  minDuration: 1,
  maxDuration: 60_000,
  windows,
});

function context(options: Parameters<typeof fakeFaultCluster>[0] extends infer O ? Partial<O> : never = {}) {
  const f = fakeFaultCluster({ dir, ...options });
  const ctx: WindowContext = {
    cluster: f.cluster,
    clients: ["c1", "c2", "c3"],
    clockShim: () => Promise.resolve(SHIM),
  };
  return { ...f, ctx };
}

describe("windowOpName", () => {
  it("should name partitions by kind and other faults by fault and target", () => {
    expect(windowOpName(w({ fault: "kill", target: "leader", params: {} }))).toBe("kill-leader");
    expect(windowOpName(w({ fault: "pause", target: "random-manager", params: {} }))).toBe(
      "pause-random-manager",
    );
    expect(
      windowOpName(
        w({ fault: "partition", target: "n2", params: { kind: "one-way", cut: "blackhole", to: "leader" } }),
      ),
    ).toBe("partition-one-way");
    expect(
      windowOpName(
        w({ fault: "partition", target: "all", params: { kind: "partition-halves", cut: "refuse" } }),
      ),
    ).toBe("partition-halves");
    expect(
      windowOpName(
        w({
          fault: "link",
          target: "client-leader",
          params: { toxic: "limit-data", bytes: 9, stream: "both" },
        }),
      ),
    ).toBe("limit-data-client-leader");
    expect(
      windowOpName(
        w({ fault: "latency", target: "n2->n1", params: { latency: 5, jitter: 0, stream: "both" } }),
      ),
    ).toBe("latency-n2->n1");
  });
});

describe("windowToxic", () => {
  it("should translate every link fault into Toxiproxy's toxic and attribute names", () => {
    const link = (params: Extract<FaultWindow, { fault: "link" }>["params"]) =>
      windowToxic(
        w({ fault: "link", target: "replication", params }) as Extract<FaultWindow, { fault: "link" }>,
      );
    expect(link({ toxic: "bandwidth", rate: 16, stream: "both" })).toEqual({
      type: "bandwidth",
      attributes: { rate: 16 },
    });
    expect(link({ toxic: "reset", timeout: 50, stream: "both" })).toEqual({
      type: "reset_peer",
      attributes: { timeout: 50 },
    });
    expect(link({ toxic: "slicer", averageSize: 64, sizeVariation: 8, delay: 10, stream: "both" })).toEqual({
      type: "slicer",
      attributes: { average_size: 64, size_variation: 8, delay: 10 },
    });
    expect(link({ toxic: "limit-data", bytes: 100, stream: "both" })).toEqual({
      type: "limit_data",
      attributes: { bytes: 100 },
    });
    expect(link({ toxic: "blackhole", stream: "both" })).toEqual({ type: "blackhole" });
  });
});

describe("startWindow", () => {
  it("should cut a partition-leader grudge resolved against the leader of the moment, and heal exactly it", async () => {
    const { ctx, state } = context({ leaders: ["n2"] });
    const active = await startWindow(
      w({
        fault: "partition",
        target: "leader",
        params: { kind: "partition-leader", cut: "refuse", clients: ["c1"] },
      }),
      ctx,
    );
    expect(active.value).toMatchObject({
      kind: "partition-leader",
      leader: "n2",
      withLeader: ["n2", "c1"],
      cut: "refuse",
    });
    const links = (active.value as { links: string[] }).links;
    expect(links).toContain("n1->n2");
    expect(links).toContain("c2->n2");
    expect(links).not.toContain("c1->n2");
    expect([...state.toxics.keys()].every((k) => k.startsWith("refuse "))).toBe(true);
    await active.stop();
    expect(state.toxics.size).toBe(0);
  });

  it("should express only partition-leader on a per-destination proxy, without the leader's own rules", async () => {
    const { ctx, state } = context({ granularity: "destination" });
    const active = await startWindow(
      w({ fault: "partition", target: "leader", params: { kind: "partition-leader", cut: "blackhole" } }),
      ctx,
    );
    expect((active.value as { links: string[] }).links.some((l) => l.startsWith("n1->"))).toBe(false);
    expect(state.toxics.size).toBeGreaterThan(0);
    await active.stop();
    await expect(
      startWindow(
        w({ fault: "partition", target: "n2", params: { kind: "isolate-node", cut: "blackhole" } }),
        ctx,
      ),
    ).rejects.toBeInstanceOf(FaultNotApplied);
    await expect(
      startWindow(
        w({ fault: "latency", target: "replication", params: { latency: 100, jitter: 0, stream: "both" } }),
        ctx,
      ),
    ).rejects.toBeInstanceOf(FaultNotApplied);
  });

  it("should put a toxic on the replication links of the leader of the moment, on the chosen streams", async () => {
    const { ctx, state } = context({ leaders: ["n3"] });
    const active = await startWindow(
      w({
        fault: "link",
        target: "replication",
        params: { toxic: "bandwidth", rate: 4, stream: "downstream" },
      }),
      ctx,
    );
    expect(active.value).toEqual({
      links: ["n1->n3", "n2->n3"],
      streams: ["downstream"],
      toxic: "bandwidth",
      attributes: { rate: 4 },
    });
    expect([...state.toxics.keys()]).toEqual([
      "bandwidth downstream n1->n3#link",
      "bandwidth downstream n2->n3#link",
    ]);
    await active.stop();
    expect(state.toxics.size).toBe(0);
  });

  it("should not apply a fault that has no target now", async () => {
    const { ctx } = context({ leaders: [undefined] });
    await expect(startWindow(w({ fault: "kill", target: "leader", params: {} }), ctx)).rejects.toThrow(
      /no leader to kill/,
    );
    await expect(
      startWindow(
        w({ fault: "latency", target: "client-leader", params: { latency: 1, jitter: 0, stream: "both" } }),
        ctx,
      ),
    ).rejects.toBeInstanceOf(FaultNotApplied);
  });

  it("should kill every target and restart them, recording pids; pause and resume likewise", async () => {
    const { ctx, state } = context();
    const kill = await startWindow(w({ fault: "kill", target: "all-followers", params: {} }), ctx);
    expect(kill.value).toEqual({ nodes: ["n2", "n3"], pids: [101, 102], signal: "SIGKILL" });
    expect([...state.down]).toEqual(["n2", "n3"]);
    expect(await kill.stop()).toEqual({ nodes: ["n2", "n3"], pids: [1001, 1002], restarted: true });
    const pause = await startWindow(w({ fault: "pause", target: "s2", params: {} }), ctx);
    expect(pause.value).toEqual({ node: "s2", pid: 104, nodes: ["s2"], pids: [104], signal: "SIGSTOP" });
    expect(await pause.stop()).toMatchObject({ node: "s2", signal: "SIGCONT" });
    expect(state.paused.size).toBe(0);
    expect(state.fights).toEqual([]);
  });

  it("should restart a clock target under the shim at its offset, jump it, and restart it plain on stop", async () => {
    const { ctx, state } = context();
    const watched: string[] = [];
    const active = await startWindow(
      w({ fault: "clock", target: "s1", params: { mode: "jump", offset: -20_000 } }),
      {
        ...ctx,
        watched: (n) => (watched.push(n), Promise.resolve()),
      },
    );
    expect(active.value).toMatchObject({
      node: "s1",
      pid: 1001,
      mode: "jump",
      offsetMs: -20_000,
      shim: SHIM,
    });
    expect(state.preload.get("s1")).toEqual([SHIM]);
    expect(watched).toEqual(["s1"]);
    // The control file holds the jumped offset in ns, after an even sequence number.
    const control = readFileSync(join(dir, "clock.ctl"));
    expect(control.readBigInt64LE(0) % 2n).toBe(0n);
    expect(control.readBigInt64LE(8)).toBe(-20_000_000_000n);
    expect(await active.stop()).toMatchObject({ node: "s1", restored: true });
    expect(state.preload.get("s1")).toEqual([]);
    expect(state.log).toEqual(["kill s1", "restart s1 skewed", "kill s1", "restart s1"]);
  });

  it("should refuse a clock fault when the restarted process does not carry the shim", async () => {
    const { ctx, cluster } = context();
    const broken = { ...cluster, restart: (n: string) => cluster.restart(n) };
    await expect(
      startWindow(w({ fault: "clock", target: "n2", params: { mode: "rate", rate: 2 } }), {
        ...ctx,
        cluster: broken,
      }),
    ).rejects.toThrow(/does not run under the clock shim/);
  });
});

describe("scheduleNemesis", () => {
  it("should start and stop windows by id, fail what cannot apply, and heal what is active", async () => {
    const { ctx, state } = context({ leaders: ["n1", undefined] });
    const windows = [
      w({ id: "f1", fault: "pause", target: "random-follower", params: {}, seed: 5 }),
      w({ id: "f2", fault: "kill", target: "leader", params: {} }),
    ];
    const n = validatingNemesis(scheduleNemesis(schedule(windows), ctx));
    await n.setup();
    expect(n.fs).toEqual([
      "start-pause-random-follower",
      "stop-pause-random-follower",
      "start-kill-leader",
      "stop-kill-leader",
    ]);
    const started = await n.invoke({ f: "start-pause-random-follower", value: { window: "f1" } });
    expect(started).toMatchObject({ type: "ok", value: { window: "f1", signal: "SIGSTOP" } });
    // No leader known now: nothing to kill, nothing changed.
    expect(await n.invoke({ f: "start-kill-leader", value: { window: "f2" } })).toMatchObject({
      type: "fail",
      value: { window: "f2" },
      error: expect.stringMatching(/no leader/),
    });
    expect(await n.invoke({ f: "start-pause-random-follower", value: { window: "f1" } })).toMatchObject({
      type: "fail",
      error: "window f1 is already active",
    });
    expect(await n.invoke({ f: "start-kill-leader", value: { window: "f1" } })).toMatchObject({
      type: "fail",
      error: "window f1 is pause-random-follower, not kill-leader",
    });
    expect(n.healOps()).toEqual([{ f: "stop-pause-random-follower", value: { window: "f1" } }]);
    expect(await n.invoke(n.healOps()[0]!)).toMatchObject({
      type: "ok",
      value: { window: "f1", signal: "SIGCONT" },
    });
    expect(await n.invoke({ f: "stop-kill-leader", value: { window: "f2" } })).toMatchObject({
      type: "fail",
      error: "window f2 is not active",
    });
    await n.teardown();
    expect(state.paused.size).toBe(0);
  });
});

describe("scheduleSteps", () => {
  it("should sleep until each event's time from the run's clock, starts and stops in timeline order", () => {
    let now = 0;
    const steps = scheduleSteps(
      schedule([
        w({ id: "f1", fault: "kill", target: "leader", params: {}, start: 1000, duration: 2000 }),
        w({ id: "f2", fault: "pause", target: "s1", params: {}, start: 2000, duration: 2000 }),
      ]),
      () => now,
    );
    const seen: string[] = [];
    for (const s of steps) {
      if (s.kind === "sleep") {
        seen.push(`sleep ${s.ms}`);
        now += s.ms;
      } else {
        seen.push(`${s.f} ${(s.value as { window: string }).window}`);
        now += 300; // each op takes a while: later sleeps are shorter, not later
      }
    }
    expect(seen).toEqual([
      "sleep 1000",
      "start-kill-leader f1",
      "sleep 700",
      "start-pause-s1 f2",
      "sleep 700",
      "stop-kill-leader f1",
      "sleep 700",
      "stop-pause-s1 f2",
    ]);
  });
});
