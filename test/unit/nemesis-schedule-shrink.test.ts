import { describe, expect, it } from "vitest";
import { InputError } from "../../core/errors/index.js";
import {
  checkSchedule,
  generateSchedule,
  shrinkCandidates,
  shrinkSearch,
  type FaultWindow,
  type Schedule,
} from "../../nemesis/schedule/index.js";

const base = { timeLimit: 60_000, quietPeriod: 5_000, minDuration: 1_000, maxDuration: 10_000 };
const w = (id: string, start: number, duration: number, rest: Partial<FaultWindow> = {}): FaultWindow =>
  ({
    id,
    fault: "kill",
    target: "random-manager",
    params: {},
    start,
    duration,
    seed: 1,
    ...rest,
  }) as FaultWindow;

describe("shrinkCandidates", () => {
  it("should propose halves, then single drops, then shorter faults, a shorter run, earlier faults", () => {
    const s: Schedule = {
      ...base,
      windows: [w("f1", 4_000, 4_000), w("f2", 10_000, 3_000, { target: "leader" }), w("f3", 20_000, 1_000)],
    };
    const describe = (c: Schedule): string =>
      `${c.timeLimit} ` + c.windows.map((x) => `${x.id}@${x.start}+${x.duration}`).join(" ");
    expect(shrinkCandidates(s).map(describe)).toEqual([
      "60000 f1@4000+4000", // first half
      "60000 f2@10000+3000 f3@20000+1000", // second half (= dropping f1)
      "60000 f1@4000+4000 f3@20000+1000", // drop f2
      "60000 f1@4000+4000 f2@10000+3000", // drop f3
      "60000 f1@4000+2000 f2@10000+1500 f3@20000+1000", // halve all (f3 is at minDuration)
      "60000 f1@4000+2000 f2@10000+3000 f3@20000+1000",
      "60000 f1@4000+4000 f2@10000+1500 f3@20000+1000",
      "26000 f1@4000+4000 f2@10000+3000 f3@20000+1000", // run ends after f3 + quiet period
      "43000 f1@4000+4000 f2@10000+3000 f3@20000+1000", // halfway there
      "60000 f1@0+4000 f2@6000+3000 f3@16000+1000", // shift everything earlier
      "60000 f1@2000+4000 f2@10000+3000 f3@20000+1000",
      "60000 f1@4000+4000 f2@5000+3000 f3@20000+1000",
      "60000 f1@4000+4000 f3@10000+1000 f2@10000+3000", // a moved fault goes first among equal starts
    ]);
  });

  it("should not move a fault onto another that holds the same target", () => {
    // Moving f2 to 5000 would overlap f1 on the managers, so that candidate is left out.
    const s: Schedule = { ...base, windows: [w("f1", 4_000, 4_000), w("f2", 10_000, 3_000)] };
    const moves = shrinkCandidates(s).filter((c) => c.windows.length === 2 && c.windows[1]!.start !== 10_000);
    expect(moves.map((c) => c.windows.map((x) => x.start))).toEqual([[0, 6_000]]);
  });

  it("should propose nothing for the empty schedule at the shortest run", () => {
    expect(shrinkCandidates({ ...base, timeLimit: 5_000, windows: [] })).toEqual([]);
    expect(shrinkCandidates({ ...base, windows: [] }).map((c) => c.timeLimit)).toEqual([5_000, 32_500]);
  });
});

describe("shrinkSearch", () => {
  /** Candidates of a number: smaller numbers, most aggressive first. */
  const smaller = (n: number): number[] => [Math.floor(n / 2), n - 1].filter((m) => m >= 0 && m < n);

  it("should keep the smallest value that still fails and return the trail", async () => {
    const result = await shrinkSearch(100, smaller, async (n) => n >= 37, { budget: 100 });
    expect(result.outcome).toBe("minimal");
    expect(result.smallest).toBe(37);
    expect(result.trail[0]).toEqual({ attempt: 1, candidate: 50, outcome: "fails", kept: true });
    expect(result.trail[1]).toEqual({ attempt: 2, candidate: 25, outcome: "passes", kept: false });
    expect(result.trail.at(-1)).toEqual({
      attempt: result.attempts,
      candidate: 36,
      outcome: "passes",
      kept: false,
    });
    expect(result.trail.filter((a) => a.kept).map((a) => a.candidate)).toEqual([
      50, 49, 48, 47, 46, 45, 44, 43, 42, 41, 40, 39, 38, 37,
    ]);
  });

  it("should stop when the budget is spent and keep the best so far", async () => {
    const result = await shrinkSearch(100, smaller, async (n) => n >= 37, { budget: 3 });
    expect(result).toMatchObject({ outcome: "budget-exhausted", smallest: 49, attempts: 3 });
    const none = await shrinkSearch(100, smaller, async () => true, { budget: 0 });
    expect(none).toMatchObject({ outcome: "budget-exhausted", smallest: 100, attempts: 0, trail: [] });
  });

  it("should record an attempt that throws as an error and not keep it", async () => {
    const result = await shrinkSearch(
      4,
      smaller,
      async (n) => {
        if (n === 2) throw new Error("cluster did not start");
        return n >= 1;
      },
      { budget: 10 },
    );
    expect(result.trail[0]).toEqual({
      attempt: 1,
      candidate: 2,
      outcome: "error",
      error: "cluster did not start",
      kept: false,
    });
    expect(result.smallest).toBe(1);
  });

  it("should carry the evidence of the smallest failing attempt and never try a candidate twice", async () => {
    const seen: number[] = [];
    const result = await shrinkSearch(
      8,
      (n) => [n - 1, n - 1, Math.floor(n / 2)].filter((m) => m >= 0 && m < n),
      async (n, attempt) => {
        seen.push(n);
        return { fails: n >= 3, evidence: `run-${attempt}` };
      },
    );
    expect(new Set(seen).size).toBe(seen.length);
    expect(result.smallest).toBe(3);
    expect(result.evidence).toBe(`run-${result.trail.find((a) => a.candidate === 3)!.attempt}`);
  });

  it("should refuse a negative budget", async () => {
    await expect(shrinkSearch(1, smaller, async () => true, { budget: -1 })).rejects.toBeInstanceOf(
      InputError,
    );
  });

  it("should shrink a mixed schedule where only a leader partition loses writes to that partition alone", async () => {
    // The fake cluster: writes are lost iff a leader partition lasts at least 2 s (the failover needs that long).
    const losesWrites = async (s: Schedule): Promise<boolean> =>
      s.windows.some(
        (x) => x.fault === "partition" && x.params.kind === "partition-leader" && x.duration >= 2_000,
      );
    const generated = generateSchedule(
      { faults: ["kill", "pause", "latency", "partition-leader"], timeLimit: 120_000, interval: 4_000 },
      11,
    );
    expect(generated.windows.length).toBeGreaterThan(10);
    expect(await losesWrites(generated)).toBe(true);
    const result = await shrinkSearch(generated, (s) => shrinkCandidates(s), losesWrites, { budget: 500 });
    expect(result.outcome).toBe("minimal");
    expect(result.smallest.windows).toHaveLength(1);
    expect(result.smallest.windows[0]).toMatchObject({ fault: "partition", target: "leader", start: 0 });
    expect(result.smallest.windows[0]!.duration).toBeGreaterThanOrEqual(2_000);
    expect(result.smallest.windows[0]!.duration).toBeLessThan(4_000);
    expect(result.smallest.timeLimit).toBe(
      result.smallest.windows[0]!.duration + result.smallest.quietPeriod,
    );
    expect(checkSchedule(result.smallest)).toEqual({ valid: true });
    for (const a of result.trail) expect(checkSchedule(a.candidate)).toEqual({ valid: true });
  });
});
