import { createRandom } from "../../core/random/index.js";
import type { Campaign } from "./campaign-schema.js";

/** One run of a campaign: one point of the matrix. */
export interface CampaignCell {
  /** `set · partition-leader · async · seed 1`, for people. */
  label: string;
  /** `set-partition-leader-async-s1`: names the run's directory (its test name). */
  id: string;
  workload: string | undefined;
  nemesis: string | undefined;
  replication: string | undefined;
  seed: number;
}

/** The matrix's axes with their values, in the order cells are run. */
export interface CampaignAxes {
  workload: (string | undefined)[];
  nemesis: (string | undefined)[];
  replication: (string | undefined)[];
  seed: number[];
}

const list = <T>(v: T | T[] | undefined): (T | undefined)[] =>
  v === undefined ? [undefined] : Array.isArray(v) ? v : [v];

/** `wait:1:100` → `wait-1-100`: safe in a directory name. */
function slug(v: string): string {
  return v.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "");
}

/**
 * The matrix's axes: each listed value, or (for an axis left out) the shared `run` setting, or `undefined` (the
 * run default). Seeds: the listed ones, or `n` seeds drawn from `campaignSeed` (deterministic), or the run's own.
 */
export function campaignAxes(c: Campaign, campaignSeed: number): CampaignAxes {
  const shared = (k: string): string | undefined =>
    typeof c.run[k] === "string" ? (c.run[k] as string) : undefined;
  const m = c.matrix;
  let seed: number[];
  if (Array.isArray(m.seed)) seed = m.seed;
  else if (typeof m.seed === "number") {
    const rng = createRandom(campaignSeed);
    seed = Array.from({ length: m.seed }, () => rng.int(0x7fff_ffff));
  } else seed = [typeof c.run.seed === "number" ? c.run.seed : createRandom(campaignSeed).int(0x7fff_ffff)];
  return {
    workload: m.workload === undefined ? [shared("workload")] : list(m.workload),
    nemesis: m.nemesis === undefined ? [shared("nemesis")] : list(m.nemesis),
    replication: m.replication === undefined ? [shared("replication")] : list(m.replication),
    seed,
  };
}

/**
 * Expands a campaign's matrix into its runs, workload outermost and seed innermost (so one configuration's seeds
 * run back to back). Pure: the same campaign and seed give the same cells.
 *
 * @example
 * expandMatrix(campaign, 7).map((c) => c.id);
 * // ["set-partition-leader-async-s1", "set-partition-leader-wait-1-100-s1", …]
 */
export function expandMatrix(c: Campaign, campaignSeed: number): CampaignCell[] {
  const axes = campaignAxes(c, campaignSeed);
  const cells: CampaignCell[] = [];
  for (const workload of axes.workload) {
    for (const nemesis of axes.nemesis) {
      for (const replication of axes.replication) {
        for (const seed of axes.seed) {
          const parts = [workload ?? "default", nemesis ?? "default", replication ?? "default"];
          cells.push({
            label: `${parts.join(" · ")} · seed ${seed}`,
            id: `${parts.map(slug).join("-")}-s${seed}`,
            workload,
            nemesis,
            replication,
            seed,
          });
        }
      }
    }
  }
  return cells;
}

/**
 * The run configuration of one cell, as a `--config` file's content: the shared settings, the cell's axes, its
 * test name, and the campaign's `runs/` directory as the store.
 */
export function cellConfig(c: Campaign, cell: CampaignCell, runsDir: string): Record<string, unknown> {
  return {
    ...c.run,
    ...(cell.workload === undefined ? {} : { workload: cell.workload }),
    ...(cell.nemesis === undefined ? {} : { nemesis: cell.nemesis }),
    ...(cell.replication === undefined ? {} : { replication: cell.replication }),
    seed: cell.seed,
    testName: cell.id.slice(0, 100),
    storeDir: runsDir,
  };
}
