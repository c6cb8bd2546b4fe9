/**
 * The CI examples (`examples/ci/`, issue 16): the GitHub Actions workflows pass a workflow linter
 * (`action-validator`, against GitHub's workflow schema), and the sharded pipelines' own steps — GitHub's matrix of
 * shards and its merge job, GitLab's `parallel:` shards and its merge job — run here as written, each "runner" in a
 * workspace of its own, artifacts carried between them the way each CI system lays them out. Only the campaign file
 * is swapped for a small one on the simulated store (the steps are what is tested, not a store).
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { CampaignResults } from "../../harness/campaign/index.js";
import { ensureBuilt, readJson, ROOT, tempStore } from "./support/spine-helpers.js";

beforeAll(() => ensureBuilt(), 180_000);

const SMALL = `
name: ci-example
seed: 3
run: { timeLimit: 1s, concurrency: 2 }
matrix:
  store: [simulated]
  workload: [set]
  nemesis: [none, partition-leader, kill-leader]
  seed: [1]
`;

/** A runner's checkout: this repository's built CLI and the small campaign as examples/campaign.yaml. */
function workspace(root: string, name: string): string {
  const ws = join(root, name);
  mkdirSync(join(ws, "examples"), { recursive: true });
  symlinkSync(join(ROOT, "bin"), join(ws, "bin"));
  writeFileSync(join(ws, "examples", "campaign.yaml"), SMALL);
  return ws;
}

function bash(script: string, cwd: string, env: Record<string, string> = {}): { code: number; out: string } {
  const r = spawnSync("bash", ["-e", "-c", script], {
    cwd,
    env: { ...process.env, ...env },
    encoding: "utf8",
  });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

/** The shard directories under `<base>` (`store/campaigns`), as `<name>/<dir>`. */
function shardDirsUnder(base: string): string[] {
  return readdirSync(base).flatMap((name) =>
    readdirSync(join(base, name))
      .filter((d) => d.includes("-shard-"))
      .map((d) => join(name, d)),
  );
}

describe("examples/ci", () => {
  it("should be valid GitHub Actions workflows by the workflow schema", () => {
    for (const f of ["faultline.yml", "faultline-shards.yml"]) {
      const r = spawnSync(
        process.execPath,
        [join(ROOT, "node_modules/@action-validator/cli/cli.mjs"), join(ROOT, "examples/ci", f)],
        {
          encoding: "utf8",
        },
      );
      expect(r.status, `${f}: ${r.stdout}${r.stderr}`).toBe(0);
    }
  });

  it("should run the GitHub sharded workflow's steps: 3 shard jobs, then the merge job", () => {
    const wf = parse(readFileSync(join(ROOT, "examples/ci/faultline-shards.yml"), "utf8"));
    const shardJob = wf.jobs.shard;
    const total = shardJob.strategy.matrix.shard.length as number;
    expect(total).toBe(3);
    const runStep = shardJob.steps.find((s: { run?: string }) => s.run?.includes("--shard")).run as string;
    const upload = shardJob.steps.find((s: { uses?: string }) =>
      s.uses?.startsWith("actions/upload-artifact"),
    );
    const root = tempStore("ci-github");
    for (const shard of shardJob.strategy.matrix.shard as number[]) {
      const ws = workspace(root, `runner-${shard}`);
      const script = runStep
        .replaceAll("${{ matrix.shard }}", String(shard))
        .replaceAll("${{ strategy.job-total }}", String(total));
      const r = bash(script, ws);
      expect(r.code, r.out).toBe(0);
      // upload-artifact keeps the path after the pattern's first wildcard (store/campaigns/*/…): <name>/<dir>.
      expect(upload.with.path).toBe("store/campaigns/*/*-shard-*");
      const name = upload.with.name.replace("${{ matrix.shard }}", String(shard));
      for (const d of shardDirsUnder(join(ws, "store/campaigns"))) {
        cpSync(join(ws, "store/campaigns", d), join(root, "merger", "shards", name, d), { recursive: true });
      }
    }
    const merger = join(root, "merger");
    symlinkSync(join(ROOT, "bin"), join(merger, "bin"));
    const mergeStep = wf.jobs.merge.steps.find((s: { id?: string }) => s.id === "merge").run as string;
    const output = join(root, "github-output");
    writeFileSync(output, "");
    const r = bash(mergeStep, merger, { GITHUB_OUTPUT: output });
    expect(r.code, r.out).toBe(0);
    const exit = Number(/exit=(\d+)/.exec(readFileSync(output, "utf8"))![1]);
    expect(exit, r.out).toBeLessThanOrEqual(1);
    const merged = readJson<CampaignResults>(join(merger, "store/campaigns/latest/results.json"));
    expect(merged.cells).toHaveLength(3);
    expect(merged.merged!.missingShards).toEqual([]);
    expect(merged.cells.every((c) => c.status === "done")).toBe(true);
    expect(readFileSync(join(merger, "store/campaigns/latest/junit.xml"), "utf8")).toContain("<testsuite ");
  }, 600_000);

  it("should run the GitLab pipeline's steps: parallel shard jobs, then the merge job", () => {
    const ci = parse(readFileSync(join(ROOT, "examples/ci/gitlab-ci.yml"), "utf8"));
    const shardJob = ci["faultline-shard"];
    const mergeJob = ci["faultline-merge"];
    expect(ci.stages).toEqual(["campaign", "merge"]);
    expect(shardJob.parallel).toBe(3);
    expect(mergeJob.needs).toEqual([{ job: "faultline-shard", artifacts: true }]);
    expect(mergeJob.artifacts.reports.junit).toBe("merged/campaigns/latest/junit.xml");
    const root = tempStore("ci-gitlab");
    const merger = workspace(root, "merger");
    for (let i = 1; i <= shardJob.parallel; i++) {
      const ws = workspace(root, `job-${i}`);
      const r = bash((shardJob.script as string[]).join("\n"), ws, {
        CI_NODE_INDEX: String(i),
        CI_NODE_TOTAL: String(shardJob.parallel),
      });
      expect(r.code, r.out).toBe(0);
      // GitLab artifacts keep their paths: the merge job finds store/campaigns/<name>/<dir> as the shard left it.
      expect(shardJob.artifacts.paths).toEqual(["store/campaigns/*/*-shard-*"]);
      for (const d of shardDirsUnder(join(ws, "store/campaigns"))) {
        cpSync(join(ws, "store/campaigns", d), join(merger, "store/campaigns", d), { recursive: true });
      }
    }
    const r = bash((mergeJob.script as string[]).join("\n"), merger);
    expect(r.code, r.out).toBe(0);
    const merged = readJson<CampaignResults>(join(merger, "merged/campaigns/latest/results.json"));
    expect(merged.cells).toHaveLength(3);
    expect(merged.cells.every((c) => c.status === "done")).toBe(true);
  }, 600_000);
});
