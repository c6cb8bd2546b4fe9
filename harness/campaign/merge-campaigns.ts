import { cpSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../../core/errors/index.js";
import { writeJsonFile } from "../../core/run-store/index.js";
import { createCampaignDirectory, openCampaignDirectory } from "./campaign-directory.js";
import type { CampaignCellResult, CampaignResults } from "./campaign-results.js";
import type { CampaignCell } from "./expand-matrix.js";
import { readCheckerResults, writeOutputs, type CampaignOutcome } from "./run-campaign.js";

/** One shard directory, read. */
interface ShardDir {
  path: string;
  results: CampaignResults;
  /** `campaign.json`: every run of the whole campaign, each with the shard it belongs to. */
  runs: (CampaignCell & { shard?: number })[];
}

/**
 * `faultline campaign merge <dir>…`: one campaign directory from the shard directories of one campaign
 * (`faultline campaign <file> --shard I/N`, run anywhere): every shard's runs copied under the new directory's
 * `runs/` (each run's own report stays reachable from the merged report), and one `results.json`, `junit.xml` and
 * comparison report over all runs, in campaign order.
 *
 * Refused (exit 254, naming the directory): a directory that is not a shard, shards of different campaigns
 * (another file, file hash, seed or shard count), and the same shard twice. A missing shard is named in the output
 * and in `results.json` (`merged.missingShards`); its runs count as not run, so the merged verdict is at best
 * unknown.
 *
 * @example
 * const merged = mergeCampaigns(["a/shard-1-of-2", "b/shard-2-of-2"], { storeDir: "store", now: new Date() });
 * merged.results.cells.length; // every run of the campaign
 */
export function mergeCampaigns(
  paths: readonly string[],
  o: { storeDir: string; now: Date },
): CampaignOutcome & { missingShards: string[] } {
  if (paths.length === 0) {
    throw new InputError("BAD_ARGUMENTS", "campaign merge: give the shard directories to merge", {
      hint: "faultline campaign merge store/campaigns/<name>/<timestamp>-shard-1-of-3 …",
    });
  }
  const shards = paths.map(readShard);
  const first = shards[0]!;
  const identity = (s: ShardDir) =>
    `${s.results.name} / file hash ${s.results.fileHash ?? "?"} / seed ${s.results.seed} / ${s.results.shard!.count} shards`;
  for (const s of shards.slice(1)) {
    if (identity(s) !== identity(first)) {
      throw new InputError(
        "SHARD_MISMATCH",
        `campaign merge: ${s.path} is a shard of another campaign (${identity(s)}), not of ${first.path}'s (${identity(first)})`,
        { details: { path: s.path, expected: identity(first), found: identity(s) } },
      );
    }
  }
  const byIndex = new Map<number, ShardDir>();
  for (const s of shards) {
    const i = s.results.shard!.index;
    const twice = byIndex.get(i);
    if (twice) {
      throw new InputError(
        "DUPLICATE_SHARD",
        `campaign merge: shard ${i}/${s.results.shard!.count} given twice: ${twice.path} and ${s.path}`,
        { details: { shard: i, paths: [twice.path, s.path] } },
      );
    }
    byIndex.set(i, s);
  }
  const count = first.results.shard!.count;
  const missingShards: string[] = [];
  for (let i = 1; i <= count; i++) if (!byIndex.has(i)) missingShards.push(`${i}/${count}`);

  const dir = createCampaignDirectory({
    storeDir: o.storeDir,
    name: first.results.name,
    now: o.now,
    suffix: "merged",
  });
  for (const s of shards) {
    const runs = join(s.path, "runs");
    // Each shard points its runs/latest at its own last run: the merged directory has no single one.
    for (const entry of readdirSync(runs)) {
      if (entry !== "latest") cpSync(join(runs, entry), join(dir.runs, entry), { recursive: true });
    }
  }
  const cells: CampaignCellResult[] = first.runs.map((run) => {
    const shard = byIndex.get(run.shard ?? 0);
    const done = shard?.results.cells.find((c) => c.id === run.id);
    if (done) return done;
    const {
      shard: _s,
      config,
      ...cell
    } = run as CampaignCell & { shard?: number; config?: { timeLimit?: number } };
    return {
      ...cell,
      status: "not-run",
      valid: null,
      exitCode: null,
      runDir: null,
      report: null,
      error: `shard ${run.shard ?? "?"}/${count} is missing from the merge`,
      metrics: null,
      timeLimitMs: config?.timeLimit ?? 0,
      elapsedMs: null,
    };
  });
  const startedAt = shards.map((s) => s.results.startedAt).sort()[0]!;
  const finished = shards.map((s) => s.results.finishedAt);
  const results: CampaignResults = {
    ...first.results,
    dir: dir.path,
    startedAt,
    finishedAt: finished.includes(null) ? null : (finished as string[]).sort().at(-1)!,
    interrupted: shards.some((s) => s.results.interrupted),
    cells,
    merged: { from: shards.map((s) => s.path), missingShards },
  };
  delete results.shard;
  const campaignJson = JSON.parse(readFileSync(join(first.path, "campaign.json"), "utf8")) as Record<
    string,
    unknown
  >;
  delete campaignJson.shard;
  writeJsonFile(dir.files.campaign, { ...campaignJson, merged: results.merged });
  writeOutputs(dir, results, readCheckerResults(dir.path, cells));
  return { dir, results, exitCode: results.exitCode, missingShards };
}

function readShard(path: string): ShardDir {
  const dir = openCampaignDirectory(path, "campaign merge");
  const read = (file: string): Record<string, unknown> => {
    try {
      return JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    } catch (err) {
      throw new InputError("BAD_SHARD", `campaign merge: ${file} cannot be read: ${(err as Error).message}`, {
        details: { path: file },
      });
    }
  };
  const results = read(dir.files.results) as unknown as CampaignResults;
  const campaign = read(dir.files.campaign);
  if (results.kind !== "campaign" || !Array.isArray(results.cells) || !Array.isArray(campaign.runs)) {
    throw new InputError("BAD_SHARD", `campaign merge: ${path} holds no campaign results`, {
      details: { path },
    });
  }
  if (results.shard === undefined) {
    throw new InputError(
      "NOT_A_SHARD",
      `campaign merge: ${path} is a whole campaign, not a shard (run with --shard I/N to split one)`,
      { details: { path } },
    );
  }
  return { path: dir.path, results, runs: campaign.runs as ShardDir["runs"] };
}
