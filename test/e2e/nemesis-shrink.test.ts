/**
 * Shrinking on real clusters: a run with three faults, of which only the leader partition loses writes, shrinks
 * to a schedule with that partition alone, proven by a run that lost writes with it. The budget is kept small
 * (three attempts: the greedy search's first candidates) so the test fits in a couple of minutes.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Schedule } from "../../nemesis/schedule/index.js";
import { expectNothingOfRun } from "./support/nemesis-helpers.js";
import {
  ensureBuilt,
  expectNothingLeft,
  flags,
  readJson,
  runDirOf,
  runFaultline,
  tempStore,
} from "./support/spine-helpers.js";

beforeAll(() => ensureBuilt(), 120_000);

describe("faultline shrink", () => {
  it("should shrink a mixed failing schedule to the leader partition alone", async () => {
    const store = tempStore("shrink");
    // pause random-follower 1–3 s, partition-leader 2–7 s, latency on client links 3–7 s (a 12 s run).
    const failing = await runFaultline([
      ...flags("run --schedule test/fixtures/schedules/leader-partition.json --seed 3 --store-dir"),
      store,
    ]);
    expect(failing.code, failing.stderr).toBe(1);
    const dir = runDirOf(store);
    expect(readJson(join(dir, "results.json")).results.set.lostCount).toBeGreaterThan(0);

    const r = await runFaultline(["shrink", dir, "--budget", "3", "--anomaly", "set:lost"], {
      timeoutMs: 400_000,
    });
    expect(r.code, r.stderr).toBe(0);
    // Progress: one line per attempt, with its verdict.
    expect(r.stderr).toMatch(/attempt 1\/3 .*→ passes/);
    expect(r.stderr).toMatch(/attempt 2\/3 .*→ fails \(.*set:lost.*\), kept/);
    expect(r.stderr).toMatch(/attempt 3\/3 .*→ fails \(.*set:lost.*\), kept/);

    const minimal = readJson<Schedule>(join(dir, "shrink", "minimal-schedule.json"));
    expect(minimal.windows).toHaveLength(1);
    expect(minimal.windows[0]).toMatchObject({
      id: "f2",
      fault: "partition",
      params: { kind: "partition-leader" },
    });
    const report = readJson(join(dir, "shrink", "shrink.json"));
    expect(report.trail.map((t: { windows: string[] }) => t.windows.join(","))).toEqual([
      "f1",
      "f2,f3",
      "f2",
    ]);
    // The proof: a run of that schedule alone that lost acknowledged writes.
    const proof = report.proof as string;
    expect(existsSync(proof)).toBe(true);
    expect(r.stdout).toContain(proof.split("/").slice(-2).join("/"));
    expect(readJson(join(proof, "config.json")).schedule).toEqual(minimal);
    const proven = readJson(join(proof, "results.json"));
    expect(proven.valid).toBe(false);
    expect(proven.results.set.lostCount).toBeGreaterThan(0);
    for (const run of [dir, proof]) {
      await expectNothingLeft(run);
      await expectNothingOfRun(readJson(join(run, "config.json")).run.id);
    }
  }, 600_000);
});
