import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { resolveRunConfig } from "../../harness/config/index.js";
import { InputError } from "../../core/errors/index.js";
import { cycleWindows } from "../../nemesis/cycle/index.js";
import { assertFitsPerDestination, perDestinationProblem, planSchedule } from "../../nemesis/plan/index.js";
import { checkSchedule, type FaultWindow } from "../../nemesis/schedule/index.js";

const dir = mkdtempSync(join(tmpdir(), "faultline-plan-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const input = {
  nemesis: "none",
  seed: 9,
  timeLimit: 20_000,
  nemesisInterval: 3000,
  restartDelay: 4000,
  partitionDuration: 6000,
  cut: "blackhole" as const,
  concurrency: 5,
  shape: { nodes: 3, managers: 3 },
};

describe("cycleWindows", () => {
  it("should lay out the spine's cycle, cutting the last window at the time limit", () => {
    const s = cycleWindows({ fault: "kill-leader", intervalMs: 2000, durationMs: 5000, timeLimit: 10_000 });
    expect(s.windows.map((w) => [w.start, w.duration])).toEqual([
      [2000, 5000],
      [9000, 1000],
    ]);
    expect(s.windows[0]).toMatchObject({ id: "f1", fault: "kill", target: "leader" });
    expect(checkSchedule(s)).toEqual({ valid: true });
  });

  it("should give a zero-length fault 1 ms and start the next one after the heal, never at its instant", () => {
    const s = cycleWindows({ fault: "kill-leader", intervalMs: 0, durationMs: 0, timeLimit: 7 });
    expect(s.windows.map((w) => [w.start, w.duration])).toEqual([
      [0, 1],
      [2, 1],
      [4, 1],
      [6, 1],
    ]);
    expect(checkSchedule(s)).toEqual({ valid: true });
  });
});

describe("planSchedule", () => {
  it("should plan no window for none", () => {
    expect(planSchedule(input).windows).toEqual([]);
  });

  it("should cycle a spine fault alone with the spine's timing, half the clients with a partitioned leader", () => {
    const s = planSchedule({ ...input, nemesis: "partition-leader", cut: "refuse" });
    expect(s.windows.map((w) => [w.start, w.duration])).toEqual([
      [3000, 6000],
      [12_000, 6000],
    ]);
    expect(s.windows[0]!.params).toEqual({ kind: "partition-leader", cut: "refuse", clients: ["c1", "c2"] });
  });

  it("should draw a valid schedule of the chosen faults from the seed, the same every time", () => {
    const mixed = { ...input, nemesis: "partition,kill,pause,latency,clock,link", timeLimit: 60_000 };
    const a = planSchedule(mixed);
    expect(planSchedule(mixed)).toEqual(a);
    expect(planSchedule({ ...mixed, seed: 10 })).not.toEqual(a);
    expect(a.windows.length).toBeGreaterThan(3);
    expect(a.quietPeriod).toBe(5000);
    expect(checkSchedule(a, { nodes: 3, managers: 3, clients: 5 })).toEqual({ valid: true });
    const short = planSchedule({ ...mixed, timeLimit: 8000 });
    expect(short.quietPeriod).toBe(2000);
    expect(short.maxDuration).toBe(6000);
  });
});

describe("perDestinationProblem", () => {
  const win = (w: Omit<FaultWindow, "id" | "start" | "duration" | "seed">): FaultWindow =>
    ({ id: "f1", start: 0, duration: 1000, seed: 1, ...w }) as FaultWindow;
  it("should allow process faults, partition-leader and client links, and refuse the rest with the reason", () => {
    expect(
      perDestinationProblem(win({ fault: "clock", target: "s1", params: { mode: "rate", rate: 2 } })),
    ).toBeUndefined();
    expect(
      perDestinationProblem(
        win({ fault: "partition", target: "leader", params: { kind: "partition-leader", cut: "blackhole" } }),
      ),
    ).toBeUndefined();
    expect(
      perDestinationProblem(
        win({ fault: "latency", target: "c2->n1", params: { latency: 9, jitter: 0, stream: "both" } }),
      ),
    ).toBeUndefined();
    expect(
      perDestinationProblem(
        win({ fault: "partition", target: "all", params: { kind: "partition-halves", cut: "blackhole" } }),
      ),
    ).toMatch(/between servers/);
    expect(
      perDestinationProblem(
        win({
          fault: "link",
          target: "manager-gossip",
          params: { toxic: "reset", timeout: 0, stream: "both" },
        }),
      ),
    ).toMatch(/share one proxy per destination/);
  });

  it("should refuse a schedule with exit 254, listing each window", () => {
    const s = planSchedule({
      ...input,
      nemesis: "isolate-follower,pause-leader",
      timeLimit: 60_000,
      seed: 3,
    });
    expect(() => assertFitsPerDestination(s, "http://x:1")).toThrow(InputError);
    expect(() => assertFitsPerDestination(s, "http://x:1")).toThrow(/isolate-node random-follower/);
    expect(() =>
      assertFitsPerDestination(planSchedule({ ...input, nemesis: "kill,pause" }), "http://x:1"),
    ).not.toThrow();
  });
});

describe("resolveRunConfig with schedules", () => {
  const seed = (): number => 5;

  it("should plan the schedule from the seed and replay it from config.json", () => {
    const first = resolveRunConfig({
      flags: { nemesis: "kill, pause,kill", nemesisInterval: "2s", timeLimit: "15s" },
      freshSeed: seed,
    });
    expect(first.nemesis).toBe("kill,pause");
    expect(first.testName).toBe("set-kill_pause");
    expect(first.schedule.windows.length).toBeGreaterThan(0);
    const written = JSON.parse(JSON.stringify({ ...first, checkers: [], run: { id: "x" } })) as unknown;
    expect(resolveRunConfig({ file: { path: "config.json", data: written }, freshSeed: () => 1 })).toEqual(
      first,
    );
  });

  it("should take a schedule file, which sets the run's length, and name bad fields inside it", () => {
    const file = join(dir, "plan.json");
    writeFileSync(
      file,
      JSON.stringify({
        timeLimit: "9s",
        windows: [{ fault: "pause", target: "leader", start: "1s", duration: "2s" }],
      }),
    );
    const c = resolveRunConfig({ flags: { schedule: file }, freshSeed: seed });
    expect(c.timeLimit).toBe(9000);
    expect(c.testName).toBe("set-schedule");
    expect(c.schedule.windows[0]).toMatchObject({ id: "f1", fault: "pause", start: 1000, duration: 2000 });
    expect(() => resolveRunConfig({ flags: { schedule: file, timeLimit: "20s" }, freshSeed: seed })).toThrow(
      /--time-limit: the schedule lasts 9000 ms, not 20000 ms/,
    );
    writeFileSync(
      file,
      JSON.stringify({
        timeLimit: "9s",
        windows: [{ fault: "kill", target: "n7", start: "1s", duration: "20s" }],
      }),
    );
    const err = (() => {
      try {
        resolveRunConfig({ flags: { schedule: file }, freshSeed: seed });
      } catch (e) {
        return (e as Error).message;
      }
      return "";
    })();
    expect(err).toContain(`--schedule ${file}: field "windows.0.duration"`);
    expect(err).toContain(`--schedule ${file}: field "windows.0.target": n7 is not in the cluster`);
    expect(() => resolveRunConfig({ flags: { schedule: join(dir, "none.json") }, freshSeed: seed })).toThrow(
      /--schedule: cannot read/,
    );
  });

  it("should refuse link faults without the proxy, and a proxy URL that is not http", () => {
    expect(() =>
      resolveRunConfig({ flags: { nemesis: "kill,latency", network: "direct" }, freshSeed: seed }),
    ).toThrow(/--nemesis: latency cuts links in the proxy/);
    expect(() =>
      resolveRunConfig({ flags: { nemesis: "kill,pause", network: "direct" }, freshSeed: seed }),
    ).not.toThrow();
    expect(() => resolveRunConfig({ flags: { toxiproxyUrl: "ftp://x" }, freshSeed: seed })).toThrow(
      /--toxiproxy-url: must be an http:\/\/ URL/,
    );
  });
});
