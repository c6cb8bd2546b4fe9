import { z } from "zod";

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const nameText = "must be letters, digits, '.', '_' or '-' (it names a directory)";

/** One axis of the matrix: a value or a list of them. */
const axis = <T extends z.ZodType>(item: T) =>
  z.union([item, z.array(item).min(1, "must list at least one value")]).optional();

/**
 * A campaign file (`faultline campaign <file.yaml>`): a name, the settings every run shares (`run`: the same
 * fields as a `--config` file), and a matrix of workloads × nemeses × replication modes × seeds, each run one
 * after another.
 *
 * @example
 * name: replication-under-faults
 * run: { timeLimit: 8s, concurrency: 4 }
 * matrix:
 *   workload: [set, register]
 *   nemesis: [partition-leader, kill-leader]
 *   replication: [async, "wait:1:100"]
 *   seed: [1, 2]
 */
export const CampaignSchema = z.strictObject({
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
  matrix: z
    .strictObject({
      workload: axis(z.string().min(1)),
      nemesis: axis(z.string().min(1)),
      replication: axis(z.string().min(1)),
      /** Seeds to run each configuration with, or how many to draw from the campaign's `seed`. */
      seed: z.union([z.int().min(1).max(100), z.array(z.int().min(0).max(0xffff_ffff)).min(1)]).optional(),
    })
    .default({}),
});

/** A campaign file as parsed (before its matrix is expanded). */
export type Campaign = z.infer<typeof CampaignSchema>;
