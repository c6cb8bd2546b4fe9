import type { Validity } from "../../checkers/core/index.js";
import type { CampaignAxes, CampaignCell } from "./expand-matrix.js";
import type { RunMetrics } from "./run-metrics.js";

/** How one cell of a campaign went. */
export type CellStatus = "done" | "error" | "interrupted" | "not-run";

/** One run of a campaign, after (or instead of) running it. */
export interface CampaignCellResult extends CampaignCell {
  status: CellStatus;
  /** The run's verdict (`null` when it produced none). */
  valid: Validity | null;
  exitCode: number | null;
  /** The run's directory and report, relative to the campaign directory (`runs/<id>/<timestamp>`). */
  runDir: string | null;
  report: string | null;
  /** Why the run produced no verdict. */
  error?: string;
  metrics: RunMetrics | null;
  timeLimitMs: number;
  /** Wall-clock time the run took, start to checked. */
  elapsedMs: number | null;
}

/** A campaign's `results.json`. */
export interface CampaignResults {
  schemaVersion: 1;
  kind: "campaign";
  name: string;
  description?: string;
  /** The campaign file it ran. */
  file: string;
  /** The SHA-256 of that file's bytes: shards and resumed campaigns must come from the same file. */
  fileHash?: string;
  /** A shard's place (`--shard I/N`) and how many runs the whole campaign has. */
  shard?: { index: number; count: number; runs: number };
  /** A merged campaign: the shard directories it was made from, and the shards it lacks (`I/N`). */
  merged?: { from: string[]; missingShards: string[] };
  /** The campaign directory (absolute). */
  dir: string;
  startedAt: string;
  finishedAt: string | null;
  /** The seed run seeds were drawn from. */
  seed: number;
  /** The worst verdict over its runs; a run without a verdict counts as unknown. */
  valid: Validity;
  exitCode: number;
  interrupted: boolean;
  axes: CampaignAxes;
  cells: CampaignCellResult[];
}

/** The campaign's verdict: the worst over its cells, a cell without a verdict (error, not run) counting as unknown. */
export function campaignValidity(cells: readonly CampaignCellResult[]): Validity {
  let v: Validity = true;
  for (const c of cells) {
    const cv: Validity = c.valid ?? "unknown";
    if (cv === false) return false;
    if (cv === "unknown") v = "unknown";
  }
  return v;
}
