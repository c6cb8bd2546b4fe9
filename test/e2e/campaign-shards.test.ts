/**
 * Campaigns beyond one machine (issue 16): one campaign run as 3 shards in 3 separate `faultline campaign --shard`
 * processes at once and merged with `faultline campaign merge` gives the same runs and verdicts as the same
 * campaign run whole; merge refuses a shard of another campaign (another file) and the same shard twice, and names a
 * missing shard; `--resume` after a SIGKILL mid-campaign runs only what was missing. The store is `simulated`
 * (faultline's in-process store): these tests are about the campaign pipeline, not a store.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { CampaignResults } from "../../harness/campaign/index.js";
import {
  ensureBuilt,
  finish,
  readJson,
  ROOT,
  runFaultline,
  startFaultline,
  tempStore,
} from "./support/spine-helpers.js";

beforeAll(() => ensureBuilt(), 180_000);

const CAMPAIGN = `
name: shards
seed: 11
run:
  timeLimit: 2s
  concurrency: 3
  nemesisInterval: 500ms
  partitionDuration: 1s
matrix:
  store: [simulated]
  workload: [set, register]
  nemesis: [partition-leader, none]
  seed: 2
`;

const verdicts = (r: CampaignResults) => r.cells.map((c) => ({ id: c.id, status: c.status, valid: c.valid }));

function campaignDir(stdout: string): string {
  const m = /^results: +(.*)\/results\.json$/m.exec(stdout);
  if (!m) throw new Error(`no results line in:\n${stdout}`);
  return resolve(ROOT, m[1]!);
}

describe("faultline campaign --shard / merge / --resume", () => {
  it("should give the same runs and verdicts from 3 shards in 3 processes, merged, as from the whole campaign", async () => {
    const store = tempStore("campaign-shards");
    const file = join(store, "c.yaml");
    writeFileSync(file, CAMPAIGN);
    const whole = await runFaultline(["campaign", file, "--store-dir", join(store, "whole")], {
      timeoutMs: 300_000,
    });
    expect([0, 1, 2], whole.stderr).toContain(whole.code);
    const wholeResults = readJson<CampaignResults>(join(campaignDir(whole.stdout), "results.json"));
    expect(wholeResults.cells).toHaveLength(8);

    // Three processes at once, as three CI runners would.
    const shards = await Promise.all(
      [1, 2, 3].map((i) =>
        finish(
          startFaultline(["campaign", file, "--shard", `${i}/3`, "--store-dir", join(store, `m${i}`)]),
          300_000,
        ),
      ),
    );
    const shardDirs = shards.map((s) => campaignDir(s.stdout));
    const sizes = shardDirs.map((d) => readJson<CampaignResults>(join(d, "results.json")).cells.length);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(8);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);

    const merged = await runFaultline([
      "campaign",
      "merge",
      ...shardDirs,
      "--store-dir",
      join(store, "merged"),
    ]);
    expect(merged.code, merged.stderr).toBe(whole.code);
    const mergedDir = campaignDir(merged.stdout);
    const mergedResults = readJson<CampaignResults>(join(mergedDir, "results.json"));
    expect(verdicts(mergedResults)).toEqual(verdicts(wholeResults));
    expect(mergedResults.merged).toEqual({ from: shardDirs, missingShards: [] });
    // Every run's own report is reachable from the merged directory, and junit has a suite per run.
    for (const c of mergedResults.cells)
      expect(readFileSync(join(mergedDir, c.report!), "utf8")).toContain("<html");
    expect(readFileSync(join(mergedDir, "junit.xml"), "utf8").match(/<testsuite /g)).toHaveLength(8);
    expect(readFileSync(join(mergedDir, "report.html"), "utf8")).toContain(mergedResults.cells[7]!.id);

    // A missing shard is named; its runs have no verdict.
    const partial = await runFaultline([
      "campaign",
      "merge",
      shardDirs[0]!,
      shardDirs[2]!,
      "--store-dir",
      join(store, "partial"),
    ]);
    expect(partial.stderr).toContain("missing shard 2/3");
    const partialResults = readJson<CampaignResults>(join(campaignDir(partial.stdout), "results.json"));
    expect(partialResults.merged!.missingShards).toEqual(["2/3"]);
    expect(partialResults.cells.filter((c) => c.status === "not-run")).toHaveLength(sizes[1]!);
    expect(partialResults.valid).not.toBe(true);

    // The same shard twice, and a shard of another campaign (the file changed), are refused, named.
    const twice = await runFaultline(["campaign", "merge", shardDirs[0]!, shardDirs[0]!, shardDirs[1]!]);
    expect(twice.code).toBe(254);
    expect(twice.stderr).toContain("shard 1/3 given twice");
    const other = join(store, "other.yaml");
    writeFileSync(other, CAMPAIGN.replace("timeLimit: 2s", "timeLimit: 1s"));
    const foreign = await runFaultline(
      ["campaign", other, "--shard", "2/3", "--store-dir", join(store, "o")],
      {
        timeoutMs: 300_000,
      },
    );
    const foreignDir = campaignDir(foreign.stdout);
    const refused = await runFaultline(["campaign", "merge", shardDirs[0]!, foreignDir, shardDirs[2]!]);
    expect(refused.code).toBe(254);
    expect(refused.stderr).toContain(`${foreignDir} is a shard of another campaign`);
  }, 900_000);

  it("should, resumed after a SIGKILL mid-campaign, run only the runs that had no verdict", async () => {
    const store = tempStore("campaign-resume");
    const file = join(store, "c.yaml");
    writeFileSync(file, CAMPAIGN);
    const child = startFaultline(["campaign", file, "--store-dir", store]);
    const dir = join(store, "campaigns", "latest");
    let done: CampaignResults["cells"] = [];
    for (let i = 0; i < 600 && done.length < 3; i++) {
      await new Promise((r) => setTimeout(r, 100));
      try {
        done = readJson<CampaignResults>(join(dir, "results.json")).cells.filter((c) => c.status === "done");
      } catch {
        // Not written yet, or being rewritten.
      }
    }
    expect(done.length).toBeGreaterThanOrEqual(3);
    child.kill("SIGKILL");
    await finish(child, 10_000);
    const before = readJson<CampaignResults>(join(dir, "results.json"));
    const doneBefore = before.cells.filter((c) => c.status === "done");
    expect(doneBefore.length).toBeLessThan(8);

    const resumed = await runFaultline(["campaign", file, "--resume", dir], { timeoutMs: 300_000 });
    expect([0, 1, 2], resumed.stderr).toContain(resumed.code);
    expect(resumed.stderr).toContain(`${8 - doneBefore.length} of 8 runs left to run`);
    const after = readJson<CampaignResults>(join(dir, "results.json"));
    expect(after.cells.every((c) => c.status === "done")).toBe(true);
    expect(after.interrupted).toBe(false);
    // The runs finished before the kill were kept as they were, not run again.
    for (const c of doneBefore) expect(after.cells.find((x) => x.id === c.id)!.runDir).toBe(c.runDir);
    expect(readFileSync(join(dir, "junit.xml"), "utf8").match(/<testsuite /g)).toHaveLength(8);

    // A directory of another file is refused, named.
    const other = join(store, "other.yaml");
    writeFileSync(other, `${CAMPAIGN}# another file\n`);
    const wrong = await runFaultline(["campaign", other, "--resume", dir]);
    expect(wrong.code).toBe(254);
    expect(wrong.stderr).toContain("that campaign ran another file");
  }, 600_000);
});
