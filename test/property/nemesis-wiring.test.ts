/**
 * Properties of schedules as `faultline run` wires them: planned from the configuration (`resolveRunConfig` →
 * `planSchedule`), walked as the run loop's steps (`scheduleSteps`), executed by the schedule nemesis against an
 * in-memory cluster whose leader changes as a script says, healed by the nemesis's heal ops and the final heal.
 */
import fc from "fast-check";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { validateHistory } from "../../checkers/history/index.js";
import { resolveRunConfig } from "../../harness/config/index.js";
import { manualClock } from "../../core/clock/index.js";
import { openHistoryWriter, type HistoryWriter } from "../../core/history/index.js";
import { invokeNemesis } from "../../harness/runner/index.js";
import { scheduleNemesis, scheduleSteps } from "../../nemesis/execute/index.js";
import { faultResidue, healCluster } from "../../nemesis/heal/index.js";
import { planSchedule } from "../../nemesis/plan/index.js";
import { FAULT_FAMILIES, type Schedule } from "../../nemesis/schedule/index.js";
import { fakeFaultCluster, type FakeState } from "../unit/support/fake-fault-cluster.js";

const dir = mkdtempSync(join(tmpdir(), "faultline-wiring-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const families = fc.uniqueArray(fc.constantFrom(...FAULT_FAMILIES), {
  minLength: 1,
  maxLength: FAULT_FAMILIES.length,
});
const leaderScript = fc.array(fc.constantFrom<string | undefined>("n1", "n2", "n3", undefined), {
  minLength: 1,
  maxLength: 40,
});

/** The schedule a run with these settings plans. */
function planned(nemesis: string, seed: number, interval: number): Schedule {
  return planSchedule({
    nemesis,
    seed,
    timeLimit: 30_000,
    nemesisInterval: interval,
    restartDelay: 2000,
    partitionDuration: 3000,
    cut: "blackhole",
    concurrency: 3,
    shape: { nodes: 3, managers: 3 },
  });
}

/**
 * Runs `schedule` as the run loop does (steps in order, each op recorded), stopping after `stopAfter` steps when
 * given (an interrupted or time-limited run), then the heal ops of what is still active; returns the history and
 * the fake's state.
 */
async function execute(
  schedule: Schedule,
  leaders: readonly (string | undefined)[],
  stopAfter?: number,
): Promise<{
  history: HistoryWriter;
  state: FakeState;
  healOps: number;
  residueBeforeFinalHeal: string[];
  residueAfter: string[];
}> {
  const { cluster, state } = fakeFaultCluster({ dir, leaders });
  // The history's clock follows the schedule's: an op is recorded at the time the steps reached.
  const clock = manualClock();
  const history = openHistoryWriter({ clock });
  const nemesis = scheduleNemesis(schedule, {
    cluster,
    clients: ["c1", "c2", "c3"],
    clockShim: () => Promise.resolve("/fake/faultline-clock-p.so"),
  });
  let now = 0;
  let steps = 0;
  for (const step of scheduleSteps(schedule, () => now)) {
    if (stopAfter !== undefined && steps++ >= stopAfter) break;
    if (step.kind === "sleep") {
      now += step.ms;
      clock.advance(step.ms * 1e6);
    } else await invokeNemesis(history, nemesis, { f: step.f, value: step.value });
  }
  const healOps = nemesis.healOps();
  for (const op of healOps) await invokeNemesis(history, nemesis, op);
  await nemesis.teardown();
  const residueBeforeFinalHeal = await faultResidue(cluster);
  await healCluster(cluster);
  return {
    history,
    state,
    healOps: healOps.length,
    residueBeforeFinalHeal,
    residueAfter: await faultResidue(cluster),
  };
}

describe("schedules as wired into the run loop", () => {
  it("should stop every fault it started, never let two faults fight over one target, and end healthy", async () => {
    await fc.assert(
      fc.asyncProperty(
        families,
        fc.integer({ min: 500, max: 6000 }),
        fc.nat(),
        leaderScript,
        fc.option(fc.nat({ max: 40 }), { nil: undefined }),
        async (chosen, interval, seed, leaders, stopAfter) => {
          const schedule = planned(chosen.join(","), seed, interval);
          const { history, state, healOps, residueBeforeFinalHeal, residueAfter } = await execute(
            schedule,
            leaders,
            stopAfter,
          );
          // A run that reached its end stopped every fault on schedule: nothing was left for the heal ops.
          if (stopAfter === undefined) expect(healOps).toBe(0);
          expect(state.fights).toEqual([]);
          const ops = history.ops.filter((o) => o.process === "nemesis" && o.type !== "invoke");
          const ids = new Set(schedule.windows.map((w) => w.id));
          for (const start of ops.filter((o) => o.f.startsWith("start-") && o.type === "ok")) {
            const id = (start.value as { window: string }).window;
            expect(ids.has(id)).toBe(true);
            const stops = ops.filter(
              (o) =>
                o.f === start.f.replace(/^start-/, "stop-") &&
                (o.value as { window?: string } | null)?.window === id &&
                o.type === "ok",
            );
            // Exactly one stop, after the start; on schedule (at the window's end) unless the run was cut short.
            expect(stops).toHaveLength(1);
            expect(stops[0]!.index).toBeGreaterThan(start.index);
            const w = schedule.windows.find((x) => x.id === id)!;
            expect(start.time).toBe(w.start * 1e6);
            if (stopAfter === undefined) expect(stops[0]!.time).toBe((w.start + w.duration) * 1e6);
          }
          // Starts that did not apply changed nothing; nothing is ever left once the nemesis has stopped.
          expect(ops.every((o) => o.type === "ok" || o.type === "fail")).toBe(true);
          expect(residueBeforeFinalHeal).toEqual([]);
          expect(residueAfter).toEqual([]);
          validateHistory(history.ops);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("should leave the healthy state after the final heal even when faults are cut off mid-run", async () => {
    await fc.assert(
      fc.asyncProperty(
        families,
        fc.nat(),
        leaderScript,
        fc.nat({ max: 12 }),
        async (chosen, seed, leaders, stopAfter) => {
          const schedule = planned(chosen.join(","), seed, 1500);
          // No heal ops, no teardown: as if the harness lost track of its faults; the final heal alone must do.
          const { cluster, state } = fakeFaultCluster({ dir, leaders });
          const history = openHistoryWriter({ clock: manualClock() });
          const nemesis = scheduleNemesis(schedule, {
            cluster,
            clients: ["c1", "c2", "c3"],
            clockShim: () => Promise.resolve("/fake/faultline-clock-p.so"),
          });
          let now = 0;
          let steps = 0;
          for (const step of scheduleSteps(schedule, () => now)) {
            if (steps++ >= stopAfter) break;
            if (step.kind === "sleep") now += step.ms;
            else await invokeNemesis(history, nemesis, { f: step.f, value: step.value });
          }
          await healCluster(cluster);
          expect(await faultResidue(cluster)).toEqual([]);
          expect(state.fights).toEqual([]);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("should plan the same schedule for the same settings and seed, through config.json too", () => {
    fc.assert(
      fc.property(
        families,
        fc.integer({ min: 100, max: 10_000 }),
        fc.integer({ min: 2, max: 120 }),
        fc.integer({ min: 0, max: 0xffff_ffff }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 2, max: 5 }),
        fc.integer({ min: 1, max: 8 }),
        (chosen, interval, seconds, seed, followers, managers, concurrency) => {
          const flags = {
            nemesis: chosen.join(","),
            nemesisInterval: `${interval}ms`,
            timeLimit: `${seconds}s`,
            seed: String(seed),
            followers: String(followers),
            failoverManagers: String(managers),
            concurrency: String(concurrency),
          };
          const a = resolveRunConfig({ flags, freshSeed: () => 0 });
          expect(resolveRunConfig({ flags, freshSeed: () => 0 }).schedule).toEqual(a.schedule);
          const stored = JSON.parse(JSON.stringify({ ...a, checkers: [], run: {} })) as unknown;
          expect(
            resolveRunConfig({ file: { path: "config.json", data: stored }, freshSeed: () => 1 }),
          ).toEqual(a);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("should make the same choices when a schedule is replayed against the same cluster answers", async () => {
    await fc.assert(
      fc.asyncProperty(families, fc.nat(), leaderScript, async (chosen, seed, leaders) => {
        const schedule = planned(chosen.join(","), seed, 2000);
        const strip = (h: HistoryWriter): unknown[] =>
          h.ops.map((o) => {
            const { time: _time, ...rest } = o;
            return rest;
          });
        const first = await execute(schedule, leaders);
        const second = await execute(schedule, leaders);
        expect(strip(second.history)).toEqual(strip(first.history));
      }),
      { numRuns: 60 },
    );
  });
});
