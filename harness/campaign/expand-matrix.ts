import { createRandom } from "../../core/random/index.js";
import { DEFAULT_STORE } from "../../stores/index.js";
import type { Campaign } from "./campaign-schema.js";

/** One run of a campaign: one point of the matrix. */
export interface CampaignCell {
  /** `postgres-patroni · set · partition-leader · async · seed 1`, for people (the store only with a store axis). */
  label: string;
  /** `set-partition-leader-async-s1` (`simulated-set-…` with a store axis): names the run's directory. */
  id: string;
  /** The store kind, when the campaign has a store axis (`matrix.store`); otherwise the runs' own. */
  store?: string | undefined;
  workload: string | undefined;
  nemesis: string | undefined;
  replication: string | undefined;
  seed: number;
}

/** The matrix's axes with their values, in the order cells are run. */
export interface CampaignAxes {
  /** Store kinds (`[undefined]` without a store axis: the runs' own store; absent in older campaigns). */
  store?: (string | undefined)[];
  workload: (string | undefined)[];
  nemesis: (string | undefined)[];
  /** Replication modes; a store with its own (`stores.<kind>.replication`) uses those instead. */
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
    store: list(m.store),
    workload: m.workload === undefined ? [shared("workload")] : list(m.workload),
    nemesis: m.nemesis === undefined ? [shared("nemesis")] : list(m.nemesis),
    replication: m.replication === undefined ? [shared("replication")] : list(m.replication),
    seed,
  };
}

/** The replication modes a store's cells run: its own (`stores.<kind>.replication`), else the matrix's axis. */
export function replicationAxisOf(
  c: Campaign,
  store: string | undefined,
  axes: CampaignAxes,
): (string | undefined)[] {
  const own = c.stores[storeKindOf(c, store)]?.replication;
  if (typeof own === "string") return [own];
  if (Array.isArray(own) && own.every((m) => typeof m === "string")) return own as string[];
  return axes.replication;
}

/**
 * Expands a campaign's matrix into its runs, store outermost, then workload, and seed innermost (so one
 * configuration's seeds run back to back, and one store's runs too). Pure: the same campaign and seed give the
 * same cells.
 *
 * @example
 * expandMatrix(campaign, 7).map((c) => c.id);
 * // ["set-partition-leader-async-s1", "set-partition-leader-wait-1-100-s1", …]
 */
export function expandMatrix(c: Campaign, campaignSeed: number): CampaignCell[] {
  const axes = campaignAxes(c, campaignSeed);
  const cells: CampaignCell[] = [];
  for (const store of axes.store ?? [undefined]) {
    for (const workload of axes.workload) {
      for (const nemesis of axes.nemesis) {
        for (const replication of replicationAxisOf(c, store, axes)) {
          for (const seed of axes.seed) {
            const parts = [
              ...(store === undefined ? [] : [store]),
              workload ?? "default",
              nemesis ?? "default",
              replication ?? "default",
            ];
            cells.push({
              label: `${parts.join(" · ")} · seed ${seed}`,
              id: `${parts.map(slug).join("-")}-s${seed}`,
              ...(store === undefined ? {} : { store }),
              workload,
              nemesis,
              replication,
              seed,
            });
          }
        }
      }
    }
  }
  return cells;
}

/**
 * The run configuration of one cell, as a `--config` file's content: the shared settings, the cell's axes, its
 * test name, and the campaign's `runs/` directory as the store. A cell with a store gets `store: { kind, … }`:
 * the shared `run.store` fields (all of them when `run.store` names no kind, none when it names another), then
 * that store's own settings from `stores.<kind>`; the store's schema then validates them like any config file.
 */
export function cellConfig(c: Campaign, cell: CampaignCell, runsDir: string): Record<string, unknown> {
  return {
    ...c.run,
    ...(cell.store === undefined && c.stores[storeKindOf(c, undefined)] === undefined
      ? {}
      : { store: cellStore(c, storeKindOf(c, cell.store)) }),
    ...(cell.workload === undefined ? {} : { workload: cell.workload }),
    ...(cell.nemesis === undefined ? {} : { nemesis: cell.nemesis }),
    ...(cell.replication === undefined ? {} : { replication: cell.replication }),
    seed: cell.seed,
    testName: cell.id.slice(0, 100),
    storeDir: runsDir,
  };
}

/** The store a cell runs: its own, else the one `run.store` names, else the default store. */
function storeKindOf(c: Campaign, store: string | undefined): string {
  if (store !== undefined) return store;
  const shared = (c.run.store as { kind?: unknown } | undefined)?.kind;
  return typeof shared === "string" ? shared : DEFAULT_STORE;
}

function cellStore(c: Campaign, kind: string): Record<string, unknown> {
  const shared = c.run.store;
  const base: Record<string, unknown> =
    shared !== null && typeof shared === "object" && !Array.isArray(shared)
      ? { ...(shared as Record<string, unknown>) }
      : {};
  const sharedKind = base.kind;
  delete base.kind;
  const { replication: _modes, ...own } = c.stores[kind] ?? {};
  return { ...(sharedKind === undefined || sharedKind === kind ? base : {}), ...own, kind };
}
