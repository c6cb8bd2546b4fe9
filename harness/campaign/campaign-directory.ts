import { existsSync } from "node:fs";
import { join } from "node:path";
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
export function createCampaignDirectory(o: { storeDir: string; name: string; now: Date }): CampaignDirectory {
  // Checked before anything is created: a store under /proc, below a file or not writable is exit 254, named.
  const root = join(ensureWritableDirectory(o.storeDir, { label: "--store-dir" }), "campaigns");
  const stamp = timestamp(o.now);
  let name = stamp;
  for (let i = 2; existsSync(join(root, o.name, name)); i++) name = `${stamp}-${i}`;
  const path = join(root, o.name, name);
  ensureWritableDirectory(join(path, "runs"), { label: "--store-dir" });
  pointLatest(root, path);
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
