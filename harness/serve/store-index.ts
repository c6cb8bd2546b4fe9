import { existsSync, lstatSync, readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { readJsonObject } from "../../core/run-store/index.js";

/** A run directory found in the store. */
export interface RunEntry {
  /** Path relative to the store, `/`-separated. */
  path: string;
  testName: string;
  /** The directory's name: the run's UTC start, `20261126T072208.554Z`. */
  stamp: string;
  /** `true`, `false`, `"unknown"`, or `null` when it has no results yet (running, or killed before checking). */
  valid: boolean | "unknown" | null;
  /** Set when the run was stopped (Ctrl-C) before its end (`results.json`'s `interrupted`). */
  interrupted?: true;
  /** What an incomplete run is missing (`results.json`'s `completeness.missing`); absent for a complete run. */
  incomplete?: string[];
  workload?: string;
  nemesis?: string;
  replication?: string;
  seed?: number;
  /** Which of the run's files exist. */
  files: { report: boolean; results: boolean; junit: boolean; history: boolean };
  /** The campaign directory holding it, relative to the store. */
  campaign?: string;
}

/** A campaign directory found in the store. */
export interface CampaignEntry {
  path: string;
  name: string;
  stamp: string;
  valid: boolean | "unknown" | null;
  runs: number;
  finished: boolean;
  report: boolean;
}

/** What `faultline serve` lists. */
export interface StoreIndex {
  runs: RunEntry[];
  campaigns: CampaignEntry[];
}

const validity = (v: unknown): RunEntry["valid"] => (v === true || v === false || v === "unknown" ? v : null);

/** What a run's `results.json` says it is missing, when it says it is incomplete. */
function incompleteOf(results: Record<string, unknown> | undefined): { incomplete?: string[] } {
  const c = results?.completeness;
  if (typeof c !== "object" || c === null) return {};
  const { complete, missing } = c as { complete?: unknown; missing?: unknown };
  if (complete !== false) return {};
  return { incomplete: Array.isArray(missing) ? missing.map(String) : [] };
}

/**
 * Finds every run and campaign under a store directory (`<test-name>/<timestamp>/`,
 * `campaigns/<name>/<timestamp>/` and their `runs/`), newest first, with their verdicts read from
 * `results.json`. Symbolic links (`latest`) and node directories are not followed, so nothing is listed twice.
 *
 * @example
 * scanStore("store").runs[0]; // { path: "set-partition-leader/20261126T072208.554Z", valid: false, … }
 */
export function scanStore(root: string): StoreIndex {
  const runs: RunEntry[] = [];
  const campaigns: CampaignEntry[] = [];
  const rel = (p: string): string => relative(root, p).split(sep).join("/");
  const walk = (dir: string, depth: number, campaign: string | undefined): void => {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    if (entries.includes("campaign.json") && entries.includes("results.json")) {
      const r = readJsonObject(join(dir, "results.json"));
      campaigns.push({
        path: rel(dir),
        name: String(r?.name ?? rel(dir)),
        stamp: dir.split(sep).at(-1)!,
        valid: validity(r?.valid),
        runs: Array.isArray(r?.cells) ? r.cells.length : 0,
        finished: typeof r?.finishedAt === "string",
        report: existsSync(join(dir, "report.html")),
      });
      walk(join(dir, "runs"), 0, rel(dir));
      return;
    }
    if (entries.includes("config.json") || entries.includes("history.jsonl")) {
      const config = readJsonObject(join(dir, "config.json"));
      const results = readJsonObject(join(dir, "results.json"));
      const parts = rel(dir).split("/");
      runs.push({
        path: rel(dir),
        testName: typeof config?.testName === "string" ? config.testName : (parts.at(-2) ?? ""),
        stamp: parts.at(-1) ?? "",
        valid: validity(results?.valid),
        ...(results?.interrupted === true ? { interrupted: true as const } : {}),
        ...incompleteOf(results),
        ...(typeof config?.workload === "string" ? { workload: config.workload } : {}),
        ...(typeof config?.nemesis === "string" ? { nemesis: config.nemesis } : {}),
        ...(typeof config?.replication === "string" ? { replication: config.replication } : {}),
        ...(typeof config?.seed === "number" ? { seed: config.seed } : {}),
        files: {
          report: entries.includes("report.html"),
          results: entries.includes("results.json"),
          junit: entries.includes("junit.xml"),
          history: entries.includes("history.jsonl"),
        },
        ...(campaign ? { campaign } : {}),
      });
      return;
    }
    if (depth >= 4) return;
    for (const e of entries) {
      if (e.startsWith(".") || e === "nodes") continue;
      const p = join(dir, e);
      try {
        if (!lstatSync(p).isDirectory()) continue;
      } catch {
        continue;
      }
      walk(p, depth + 1, campaign);
    }
  };
  walk(root, 0, undefined);
  const newest = <T extends { stamp: string }>(a: T, b: T): number => b.stamp.localeCompare(a.stamp);
  return { runs: runs.sort(newest), campaigns: campaigns.sort(newest) };
}
