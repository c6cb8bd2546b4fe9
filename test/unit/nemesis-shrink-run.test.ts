import { describe, expect, it } from "vitest";
import { anomalyKinds, describeAttempt, shrinkRun, type AttemptReport } from "../../nemesis/shrink/index.js";
import type { FaultWindow, Schedule } from "../../nemesis/schedule/index.js";

describe("anomalyKinds", () => {
  it("should list each invalid checker's anomaly kinds, and a bare invalid verdict as invalid", () => {
    expect(
      anomalyKinds({
        set: { valid: false, anomalies: [{ kind: "lost" }, { kind: "unexpected" }, { kind: "lost" }] },
        linearizable: { valid: false },
        stats: { valid: true },
        counter: { valid: "unknown", reason: "budget" },
      }),
    ).toEqual(["linearizable:invalid", "set:lost", "set:unexpected"]);
    expect(anomalyKinds({})).toEqual([]);
  });
});

describe("shrinkRun", () => {
  const window = (id: string, start: number, kind: "partition" | "pause"): FaultWindow =>
    (kind === "partition"
      ? {
          id,
          start,
          duration: 4000,
          seed: 1,
          fault: "partition",
          target: "leader",
          params: { kind: "partition-leader", cut: "blackhole" },
        }
      : {
          id,
          start,
          duration: 4000,
          seed: 1,
          fault: "pause",
          target: "random-manager",
          params: {},
        }) as FaultWindow;
  const initial: Schedule = {
    timeLimit: 20_000,
    quietPeriod: 5000,
    minDuration: 1000,
    maxDuration: 8000,
    windows: [window("f1", 1000, "pause"), window("f2", 2000, "partition"), window("f3", 9000, "pause")],
  };

  it("should keep the smallest schedule whose run still shows every target kind, reporting each attempt", async () => {
    const reports: AttemptReport[] = [];
    // A store that loses writes whenever a leader partition of at least 2 s is in the schedule.
    const result = await shrinkRun({
      initial,
      target: ["set:lost"],
      budget: 50,
      attempt: (s, n) =>
        Promise.resolve({
          runDir: `/runs/${n}`,
          kinds: s.windows.some((w) => w.fault === "partition" && w.duration >= 2000)
            ? ["set:lost", "set-full:lost"]
            : [],
        }),
      onAttempt: (r) => reports.push(r),
    });
    expect(result.outcome).toBe("minimal");
    expect(result.smallest.windows.map((w) => [w.id, w.duration])).toEqual([["f2", 2000]]);
    expect(result.evidence).toBe(`/runs/${result.trail.filter((t) => t.kept).at(-1)!.attempt}`);
    expect(reports).toHaveLength(result.attempts);
    expect(reports[0]).toMatchObject({ attempt: 1, budget: 50, outcome: "passes", kinds: [] });
    expect(describeAttempt(reports[0]!)).toMatch(
      /^attempt 1\/50 \(0s\): 1 fault in a 20s run .* → passes \(no anomaly\)\n {4}f1 at 1s/,
    );
  });

  it("should stop at the budget and count an attempt that breaks as an error", async () => {
    const reports: AttemptReport[] = [];
    const result = await shrinkRun({
      initial,
      target: ["set:lost"],
      budget: 2,
      attempt: (_s, n) =>
        n === 1
          ? Promise.reject(new Error("cluster did not start"))
          : Promise.resolve({ runDir: "/r", kinds: ["set:lost"] }),
      onAttempt: (r) => reports.push(r),
    });
    expect(result.outcome).toBe("budget-exhausted");
    expect(result.trail.map((t) => t.outcome)).toEqual(["error", "fails"]);
    expect(describeAttempt(reports[0]!)).toContain("error: cluster did not start");
    expect(describeAttempt(reports[1]!)).toContain("fails (set:lost), kept");
  });
});
