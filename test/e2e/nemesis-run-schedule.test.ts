/**
 * Seeded schedules through `faultline run` and `faultline replay` on real clusters: the schedule drawn from the
 * seed is stored in config.json, every window is started and stopped in the history with what was done, the
 * final heal is verified, nothing is left; a replay runs the same schedule again.
 */
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { resolveRunConfig } from "../../harness/config/index.js";
import { windowOpName } from "../../nemesis/execute/index.js";
import type { Schedule } from "../../nemesis/schedule/index.js";
import { expectNothingOfRun } from "./support/nemesis-helpers.js";
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

beforeAll(() => ensureBuilt(), 120_000);

const FLAGS = "--nemesis partition,kill,pause,latency,clock --nemesis-interval 2s --time-limit 12s --seed 2";

/** The nemesis ops of a run, as `start-<name> f3` lines (invokes only), in order. */
function nemesisOps(dir: string): string[] {
  return historyOps(dir)
    .filter((o) => o.process === "nemesis" && o.type === "invoke")
    .map((o) => `${o.f}${o.value?.window ? ` ${o.value.window}` : ""}`);
}

describe("faultline run --nemesis <families> and faultline replay", () => {
  it("should store the seed's schedule, run every window with what it did, heal, verify, and replay it", async () => {
    const store = tempStore("schedule");
    const r = await runFaultline([...flags(`run ${FLAGS}`), "--store-dir", store]);
    expect([0, 1], r.stderr).toContain(r.code);
    const dir = runDirOf(store);
    await expectNothingLeft(dir);
    const config = readJson(join(dir, "config.json"));
    await expectNothingOfRun(config.run.id);

    // The stored schedule is the one the seed gives (same flags, resolved again) and mixes several families.
    const schedule = config.schedule as Schedule;
    const expected = resolveRunConfig({
      flags: {
        nemesis: "partition,kill,pause,latency,clock",
        nemesisInterval: "2s",
        timeLimit: "12s",
        seed: "2",
      },
      freshSeed: () => 0,
    }).schedule;
    expect(schedule).toEqual(expected);
    expect(new Set(schedule.windows.map((w) => w.fault)).size).toBeGreaterThanOrEqual(3);

    // Every window was started and stopped (or refused, with the reason), each start saying what it did.
    const ops = historyOps(dir).filter((o) => o.process === "nemesis");
    for (const w of schedule.windows) {
      const name = windowOpName(w);
      const start = ops.find(
        (o) => o.f === `start-${name}` && o.type !== "invoke" && o.value?.window === w.id,
      );
      expect(start, `start of ${w.id}`).toBeDefined();
      if (start!.type === "fail") {
        expect(start!.error).toBeTruthy();
        continue;
      }
      expect(start!.type, `${w.id}: ${start!.error ?? ""}`).toBe("ok");
      if (w.fault === "partition" || w.fault === "latency" || w.fault === "link") {
        expect(start!.value.links.length).toBeGreaterThan(0);
      } else {
        expect(start!.value.pids.length).toBeGreaterThan(0);
      }
      if (w.fault === "clock") expect(start!.value.shim).toMatch(/faultline-clock/);
      const stop = ops.find((o) => o.f === `stop-${name}` && o.type === "ok" && o.value?.window === w.id);
      expect(stop, `stop of ${w.id}`).toBeDefined();
    }
    const heal = ops.find((o) => o.f === "final-heal" && o.type !== "invoke");
    expect(heal?.type).toBe("ok");
    expect(heal?.value.verified).toBe(true);
    expect(ops.find((o) => o.f === "initial-heal" && o.type !== "invoke")?.value.verified).toBe(true);

    // Replay: the same configuration, seed and schedule, into a new run directory.
    const replayStore = tempStore("replay");
    const again = await runFaultline(["replay", dir, "--store-dir", replayStore]);
    expect([0, 1], again.stderr).toContain(again.code);
    expect(again.stdout).toContain("replay of");
    const replayed = runDirOf(replayStore);
    expect(replayed).not.toBe(dir);
    const replayConfig = readJson(join(replayed, "config.json"));
    expect(replayConfig.schedule).toEqual(config.schedule);
    expect(replayConfig.seed).toBe(config.seed);
    expect(nemesisOps(replayed)).toEqual(nemesisOps(dir));
    await expectNothingLeft(replayed);
    await expectNothingOfRun(replayConfig.run.id);
  });
});
