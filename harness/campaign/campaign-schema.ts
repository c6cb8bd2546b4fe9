import { z } from "zod";
import { STORES, storeKinds } from "../../stores/index.js";

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const nameText = "must be letters, digits, '.', '_' or '-' (it names a directory)";

/** One axis of the matrix: a value or a list of them. */
const axis = <T extends z.ZodType>(item: T) =>
  z.union([item, z.array(item).min(1, "must list at least one value")]).optional();

/**
 * One store's part of a campaign (`stores.<kind>`): its settings (the fields of `store:` in a `--config` file,
 * validated by that store's own schema), and optionally its own replication modes, which replace the matrix's
 * `replication` axis for that store (each store names its modes its own way).
 */
const StorePartSchema = z.record(z.string(), z.unknown());

/** `stores.<kind>.replication`: a mode or a list of them. */
const ReplicationAxis = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

/**
 * A campaign file (`faultline campaign <file.yaml>`): a name, the settings every run shares (`run`: the same
 * fields as a `--config` file), each store's own settings (`stores`), and a matrix of stores × workloads ×
 * nemeses × replication modes × seeds, each run one after another.
 *
 * @example
 * name: replication-under-faults
 * run: { timeLimit: 8s, concurrency: 4 }
 * stores:
 *   postgres-patroni: { ttl: 30, replication: [async, sync-strict] }
 * matrix:
 *   store: [postgres-patroni, simulated]
 *   workload: [set, register]
 *   nemesis: [partition-leader, kill-leader]
 *   replication: [async]
 *   seed: [1, 2]
 */
export const CampaignSchema = z
  .strictObject({
    /** Names the campaign's directory, `<store>/campaigns/<name>/<timestamp>/`. */
    name: z.string().regex(NAME, nameText).max(100),
    /** One line shown at the top of the campaign report. */
    description: z.string().max(2000).optional(),
    /** Where campaign directories go (default: the runs' `storeDir`, else `store`). */
    storeDir: z.string().min(1).optional(),
    /** The seed the run seeds are drawn from when `matrix.seed` is a count (default: random, recorded). */
    seed: z.int().min(0).max(0xffff_ffff).optional(),
    /** Settings shared by every run, as in a `--config` file (the matrix's axes override them). */
    run: z.record(z.string(), z.unknown()).default({}),
    /** Per store kind: its settings, and optionally `replication` (that store's modes, instead of the matrix's). */
    stores: z.record(z.string(), StorePartSchema).default({}),
    matrix: z
      .strictObject({
        /** Store kinds (`faultline stores` lists them); left out: `run.store.kind`, else the default store. */
        store: axis(z.string().min(1)),
        workload: axis(z.string().min(1)),
        nemesis: axis(z.string().min(1)),
        replication: axis(z.string().min(1)),
        /** Seeds to run each configuration with, or how many to draw from the campaign's `seed`. */
        seed: z.union([z.int().min(1).max(100), z.array(z.int().min(0).max(0xffff_ffff)).min(1)]).optional(),
      })
      .default({}),
  })
  .superRefine((c, ctx) => {
    const kinds = storeKinds();
    const listed =
      c.matrix.store === undefined ? [] : Array.isArray(c.matrix.store) ? c.matrix.store : [c.matrix.store];
    listed.forEach((kind, i) => {
      if (!kinds.includes(kind)) {
        ctx.addIssue({
          code: "custom",
          path: ["matrix", "store", ...(Array.isArray(c.matrix.store) ? [i] : [])],
          message: `unknown store ${JSON.stringify(kind)}: must be one of ${kinds.join(", ")}`,
        });
      }
    });
    for (const [kind, part] of Object.entries(c.stores)) {
      const adapter = STORES.find((s) => s.kind === kind);
      if (!adapter) {
        ctx.addIssue({
          code: "custom",
          path: ["stores", kind],
          message: `unknown store: must be one of ${kinds.join(", ")}`,
        });
        continue;
      }
      const { replication, ...settings } = part;
      if (replication !== undefined) {
        const modes = ReplicationAxis.safeParse(replication);
        if (!modes.success)
          ctx.addIssue({
            code: "custom",
            path: ["stores", kind, "replication"],
            message: "must be a replication mode or a list of them",
          });
      }
      // Each store's settings are checked by that store's own schema, naming the field under `stores.<kind>`.
      const parsed = adapter.settings.safeParse({ ...settings, kind });
      if (!parsed.success) {
        for (const issue of parsed.error.issues)
          ctx.addIssue({
            code: "custom",
            path: ["stores", kind, ...issue.path.map(String)],
            message: issue.message,
          });
      }
    }
  });

/** A campaign file as parsed (before its matrix is expanded). */
export type Campaign = z.infer<typeof CampaignSchema>;
