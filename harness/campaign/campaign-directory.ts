import { existsSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { InputError } from "../../core/errors/index.js";
import { pointLatest, timestamp } from "../../core/run-store/index.js";
import { ensureWritableDirectory } from "../../core/user-paths/index.js";

/** A campaign's directory and its files. */
export interface CampaignDirectory {
  /** `<store>/campaigns/<name>/<timestamp>` (absolute). */
  path: string;
  /** Where its runs go: the store of its runs (`runs/<test-name>/<timestamp>`). */
  runs: string;
  files: { campaign: string; results: string; report: string; junit: string; log: string };
}

/**
 * Creates `<store>/campaigns/<name>/<timestamp>/` with its `runs/` directory, and points
 * `<store>/campaigns/latest` at it. A campaign directory holds everything its report links to, so it can be
 * moved or uploaded whole.
 *
 * @example
 * createCampaignDirectory({ storeDir: "store", name: "replication", now: new Date() }).files.report;
 */
export function createCampaignDirectory(o: {
  storeDir: string;
  name: string;
  now: Date;
  /** Appended to the timestamp (`<timestamp>-shard-2-of-3`). */
  suffix?: string;
}): CampaignDirectory {
  // Checked before anything is created: a store under /proc, below a file or not writable is exit 254, named.
  const root = join(ensureWritableDirectory(o.storeDir, { label: "--store-dir" }), "campaigns");
  const stamp = o.suffix === undefined ? timestamp(o.now) : `${timestamp(o.now)}-${o.suffix}`;
  let name = stamp;
  for (let i = 2; existsSync(join(root, o.name, name)); i++) name = `${stamp}-${i}`;
  const path = join(root, o.name, name);
  ensureWritableDirectory(join(path, "runs"), { label: "--store-dir" });
  pointLatest(root, path);
  return campaignDirectoryAt(path);
}

/**
 * An existing campaign directory (to resume, or a shard to merge): it must hold a `campaign.json` and a
 * `results.json`; otherwise an {@link InputError} naming `flag` and the path.
 */
export function openCampaignDirectory(path: string, flag: string): CampaignDirectory {
  const dir = campaignDirectoryAt(resolve(path));
  for (const f of [dir.files.campaign, dir.files.results]) {
    if (!existsSync(f)) {
      throw new InputError(
        "NOT_A_CAMPAIGN",
        `${flag} ${path}: not a campaign directory (no ${basename(f)})`,
        {
          details: { path },
          hint: "give a directory `faultline campaign` wrote: <store>/campaigns/<name>/<timestamp>",
        },
      );
    }
  }
  return dir;
}

function campaignDirectoryAt(path: string): CampaignDirectory {
  return {
    path,
    runs: join(path, "runs"),
    files: {
      campaign: join(path, "campaign.json"),
      results: join(path, "results.json"),
      report: join(path, "report.html"),
      junit: join(path, "junit.xml"),
      log: join(path, "campaign.log"),
    },
  };
}
