import { describe, expect, it } from "vitest";
import { InputError } from "../../core/errors/index.js";
import { describeGrudge, type GrudgeRandom } from "../../nemesis/grudge/index.js";
import {
  describeSchedule,
  describeWindow,
  generateSchedule,
  partitionGrudge,
  resolveLinks,
  resolveProcesses,
  resolveScheduleOptions,
  scheduleTimeline,
  windowConflict,
  type FaultWindow,
  type Schedule,
} from "../../nemesis/schedule/index.js";

const topology = { nodes: ["n1", "n2", "n3"], managers: ["s1", "s2", "s3"], clients: ["c1", "c2", "c3"] };
const first: GrudgeRandom = { int: () => 0 };
const last: GrudgeRandom = { int: (max) => max - 1 };
const win = (w: Partial<FaultWindow> & Pick<FaultWindow, "fault" | "target" | "params">): FaultWindow =>
  ({ id: "f1", start: 0, duration: 1_000, seed: 1, ...w }) as FaultWindow;

describe("describeSchedule", () => {
  it("should list each window with its timing and action", () => {
    const s: Schedule = {
      timeLimit: 90_000,
      quietPeriod: 5_000,
      minDuration: 1_000,
      maxDuration: 10_000,
      windows: [
        win({
          id: "f1",
          start: 9_696,
          duration: 2_146,
          fault: "partition",
          target: "leader",
          params: { kind: "partition-leader", cut: "blackhole" },
        }),
        win({ id: "f2", start: 12_000, fault: "kill", target: "random-manager", params: {} }),
        win({
          id: "f3",
          start: 15_000,
          fault: "partition",
          target: "random-follower",
          params: { kind: "isolate-node", cut: "refuse" },
        }),
        win({
          id: "f4",
          start: 20_000,
          fault: "partition",
          target: "random-follower",
          params: { kind: "one-way", cut: "blackhole", to: "leader" },
        }),
        win({
          id: "f5",
          start: 30_000,
          fault: "clock",
          target: "s2",
          params: { mode: "jump", offset: -30_000 },
        }),
        win({
          id: "f6",
          start: 40_000,
          fault: "latency",
          target: "replication",
          params: { latency: 250, jitter: 50, stream: "both" },
        }),
        win({
          id: "f7",
          start: 61_500,
          duration: 500,
          fault: "link",
          target: "n2->n1",
          params: { toxic: "bandwidth", rate: 64, stream: "downstream" },
        }),
        win({
          id: "f8",
          start: 70_000,
          fault: "clock",
          target: "leader",
          params: { mode: "rate", rate: 1.5 },
        }),
      ],
    };
    expect(describeSchedule(s)).toBe(
      [
        "8 faults in a 1m30s run (quiet for the last 5s)",
        "f1 at 9.696s for 2.146s: partition-leader (blackhole)",
        "f2 at 12s for 1s: kill random-manager",
        "f3 at 15s for 1s: isolate-node random-follower (refuse)",
        "f4 at 20s for 1s: one-way cut: random-follower cannot send to leader (blackhole)",
        "f5 at 30s for 1s: clock of s2 jumps -30s",
        "f6 at 40s for 1s: latency 250ms ±50ms on replication (both)",
        "f7 at 1m1.5s for 500ms: bandwidth 64 KB/s on n2->n1 (downstream)",
        "f8 at 1m10s for 1s: clock of leader at 1.5× speed",
      ].join("\n"),
    );
    expect(describeSchedule({ ...s, windows: [] })).toBe("no fault in a 1m30s run (quiet for the last 5s)");
    expect(describeSchedule({ ...s, windows: [], quietPeriod: 0 })).toBe("no fault in a 1m30s run");
    expect(describeWindow(s.windows[1]!)).toBe("f2 at 12s for 1s: kill random-manager");
  });
});

describe("scheduleTimeline", () => {
  it("should order events by time, stops before starts at one instant", () => {
    const a = win({ id: "a", start: 0, duration: 2_000, fault: "kill", target: "leader", params: {} });
    const b = win({ id: "b", start: 2_000, duration: 1_000, fault: "kill", target: "s1", params: {} });
    const c = win({ id: "c", start: 500, duration: 1_500, fault: "pause", target: "s2", params: {} });
    const events = scheduleTimeline({
      timeLimit: 10_000,
      quietPeriod: 0,
      minDuration: 1,
      maxDuration: 5_000,
      windows: [a, c, b],
    });
    expect(events.map((e) => `${e.at} ${e.action} ${e.window.id}`)).toEqual([
      "0 start a",
      "500 start c",
      "2000 stop a",
      "2000 stop c",
      "2000 start b",
      "3000 stop b",
    ]);
  });
});

describe("windowConflict", () => {
  it("should treat a heal and a start at the same instant on one target as a conflict", () => {
    const a = win({ id: "a", start: 0, duration: 2_000, fault: "kill", target: "n1", params: {} });
    const b = win({ id: "b", start: 2_000, fault: "pause", target: "n1", params: {} });
    expect(windowConflict(a, b)).toBe("both may act on one process (n1, n1)");
    expect(windowConflict(a, { ...b, start: 2_001 })).toBeUndefined();
  });

  it("should let different domains, names and kinds of claim coexist", () => {
    const kill = win({ fault: "kill", target: "leader", params: {} });
    expect(
      windowConflict(kill, win({ fault: "pause", target: "random-manager", params: {} })),
    ).toBeUndefined();
    expect(
      windowConflict(
        win({ fault: "kill", target: "n1", params: {} }),
        win({ fault: "pause", target: "n2", params: {} }),
      ),
    ).toBeUndefined();
    expect(
      windowConflict(
        kill,
        win({ fault: "partition", target: "leader", params: { kind: "isolate-node", cut: "blackhole" } }),
      ),
    ).toBeUndefined();
    expect(
      windowConflict(
        win({ fault: "partition", target: "all", params: { kind: "partition-halves", cut: "blackhole" } }),
        win({ fault: "partition", target: "s1", params: { kind: "isolate-node", cut: "blackhole" } }),
      ),
    ).toBe("two partitions at once");
    const lat = win({
      fault: "latency",
      target: "replication",
      params: { latency: 1, jitter: 0, stream: "both" },
    });
    expect(
      windowConflict(
        lat,
        win({ fault: "link", target: "n3->n1", params: { toxic: "blackhole", stream: "both" } }),
      ),
    ).toBe("both may act on one link (replication, n3->n1)");
    expect(
      windowConflict(
        lat,
        win({ fault: "link", target: "manager-nodes", params: { toxic: "blackhole", stream: "both" } }),
      ),
    ).toBeUndefined();
  });
});

describe("resolveProcesses", () => {
  const ctx = { topology, leader: "n2", random: last };

  it("should resolve selectors against the leader of the moment", () => {
    expect(resolveProcesses("leader", ctx)).toEqual(["n2"]);
    expect(resolveProcesses("random-follower", ctx)).toEqual(["n3"]);
    expect(resolveProcesses("random-follower", { ...ctx, random: first })).toEqual(["n1"]);
    expect(resolveProcesses("all-followers", ctx)).toEqual(["n1", "n3"]);
    expect(resolveProcesses("random-manager", ctx)).toEqual(["s3"]);
    expect(resolveProcesses("all-managers", ctx)).toEqual(["s1", "s2", "s3"]);
    expect(resolveProcesses("s2", ctx)).toEqual(["s2"]);
  });

  it("should resolve to nothing when there is no leader or follower", () => {
    expect(resolveProcesses("leader", { ...ctx, leader: undefined })).toEqual([]);
    expect(
      resolveProcesses("random-follower", {
        topology: { ...topology, nodes: ["n1"] },
        leader: "n1",
        random: first,
      }),
    ).toEqual([]);
  });

  it("should reject a name outside the cluster", () => {
    expect(() => resolveProcesses("n9", ctx)).toThrow(InputError);
  });
});

describe("resolveLinks", () => {
  const ctx = { topology, leader: "n1", random: first };

  it("should name the connections of each link class", () => {
    expect(resolveLinks("replication", ctx)).toEqual([
      { source: "n2", destination: "n1" },
      { source: "n3", destination: "n1" },
    ]);
    expect(resolveLinks("client-leader", ctx).map((p) => `${p.source}->${p.destination}`)).toEqual([
      "c1->n1",
      "c2->n1",
      "c3->n1",
    ]);
    expect(resolveLinks("manager-gossip", ctx)).toHaveLength(6);
    expect(resolveLinks("manager-nodes", ctx)).toHaveLength(9);
    expect(resolveLinks("s2->s1", ctx)).toEqual([{ source: "s2", destination: "s1" }]);
    expect(resolveLinks("replication", { ...ctx, leader: undefined })).toEqual([]);
    expect(() => resolveLinks("c9->n1", ctx)).toThrow(/c9 is not in the cluster/);
  });
});

describe("partitionGrudge", () => {
  const ctx = { topology, leader: "n1", random: first };

  it("should build the grudge of the window for the leader of the moment", () => {
    const leader = win({
      fault: "partition",
      target: "leader",
      params: { kind: "partition-leader", cut: "blackhole", clients: ["c3"] },
    });
    const r = partitionGrudge(leader as Extract<FaultWindow, { fault: "partition" }>, {
      ...ctx,
      leader: "n3",
    });
    expect(r.kind === "grudge" && describeGrudge(r.grudge)).toBe("n3, c3 | n1, n2, s1, s2, s3, c1, c2");
    const oneWay = win({
      fault: "partition",
      target: "random-follower",
      params: { kind: "one-way", cut: "blackhole", to: "leader" },
    });
    const o = partitionGrudge(oneWay as Extract<FaultWindow, { fault: "partition" }>, ctx);
    expect(o.kind === "grudge" && describeGrudge(o.grudge)).toBe("n2 -/-> n1 (n1 still reaches n2)");
  });

  it("should say when there is nothing to cut", () => {
    const leader = win({
      fault: "partition",
      target: "leader",
      params: { kind: "partition-leader", cut: "refuse" },
    });
    expect(
      partitionGrudge(leader as Extract<FaultWindow, { fault: "partition" }>, { ...ctx, leader: undefined }),
    ).toEqual({
      kind: "no-target",
      reason: "no leader to cut off",
    });
  });
});

describe("resolveScheduleOptions", () => {
  it("should fill in the documented defaults", () => {
    expect(resolveScheduleOptions()).toEqual({
      faults: ["partition", "kill", "pause", "latency", "clock", "link"],
      interval: 10_000,
      timeLimit: 20_000,
      quietPeriod: 5_000,
      minDuration: 1_000,
      maxDuration: 8_000,
      cut: "blackhole",
      cluster: { nodes: 3, managers: 3 },
    });
  });

  it("should name the bad option", () => {
    expect(() => resolveScheduleOptions({ interval: 0 })).toThrow(
      "schedule option interval: must be a whole number of ms ≥ 1, got 0",
    );
    expect(() => resolveScheduleOptions({ minDuration: 5_000, maxDuration: 1_000 })).toThrow(
      "schedule option maxDuration: must be a whole number of ms ≥ 5000, got 1000",
    );
    expect(() => resolveScheduleOptions({ faults: ["kil" as never] })).toThrow(
      /schedule option faults: unknown fault "kil"/,
    );
  });
});

describe("generateSchedule", () => {
  it("should refuse a named fault the cluster cannot run, and drop such faults from a family", () => {
    const single = { nodes: 1, managers: 0 };
    expect(() => generateSchedule({ faults: ["kill-follower"], cluster: single }, 1)).toThrow(
      'fault "kill-follower" cannot run on a cluster of 1 data node(s) and 0 failover manager(s)',
    );
    const s = generateSchedule({ faults: ["kill"], cluster: single, timeLimit: 300_000, interval: 2_000 }, 1);
    expect(s.windows.length).toBeGreaterThan(10);
    expect(new Set(s.windows.map((w) => w.target))).toEqual(new Set(["leader"]));
  });

  it("should give no window for no faults or no room before the quiet period", () => {
    expect(generateSchedule({ faults: [] }, 3).windows).toEqual([]);
    expect(generateSchedule({ timeLimit: 5_500, quietPeriod: 5_000, minDuration: 1_000 }, 3).windows).toEqual(
      [],
    );
  });

  it("should space fault starts by the interval on average", () => {
    const s = generateSchedule(
      {
        faults: ["latency-replication"],
        timeLimit: 2_000_000,
        quietPeriod: 0,
        interval: 10_000,
        maxDuration: 1_000,
      },
      5,
    );
    // Faults of 1 s every 10 s on average rarely collide, so almost every draw is placed: about 200 windows.
    expect(s.windows.length).toBeGreaterThan(170);
    expect(s.windows.length).toBeLessThan(230);
    expect(s.windows.every((w) => w.duration === 1_000)).toBe(true);
  });
});
