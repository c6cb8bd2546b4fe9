import { createHash } from "node:crypto";
import { InputError } from "../../core/errors/index.js";
import { DEFAULT_OVERHEAD_MS } from "./campaign-eta.js";

/** One shard of a campaign: the `index`-th (1-based) of `count`. */
export interface Shard {
  index: number;
  count: number;
}

/** The most shards a campaign can be split into. */
export const MAX_SHARDS = 1000;

/**
 * Parses `--shard I/N` (1 ≤ I ≤ N ≤ {@link MAX_SHARDS}); anything else is an {@link InputError} naming the flag.
 *
 * @example
 * parseShard("2/3"); // { index: 2, count: 3 }
 */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d{1,4})\s*\/\s*(\d{1,4})\s*$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || count > MAX_SHARDS || index < 1 || index > count) {
    throw new InputError(
      "BAD_FLAG",
      `--shard must be I/N with 1 ≤ I ≤ N ≤ ${MAX_SHARDS} (this machine runs the I-th of N shards), got ${JSON.stringify(text)}`,
      { details: { flag: "--shard", value: text } },
    );
  }
  return { index, count };
}

/**
 * Splits runs into `count` shards balanced by expected duration (each run's time limit plus the usual start,
 * recovery and checking overhead): the longest runs first, each to the shard with the least expected time so far,
 * ties to the lower shard and, among equal runs, in campaign order. Deterministic: the same runs and count always
 * give the same split, on any machine, so shards run apart can be merged. Returns each run's shard (1-based).
 *
 * @example
 * assignShards([20_000, 20_000, 8_000, 8_000], 2); // [1, 2, 1, 2]
 */
export function assignShards(timeLimitsMs: readonly number[], count: number): number[] {
  const order = timeLimitsMs
    .map((t, i) => ({ t: t + DEFAULT_OVERHEAD_MS, i }))
    .sort((a, b) => b.t - a.t || a.i - b.i);
  const load = new Array<number>(count).fill(0);
  const shardOf = new Array<number>(timeLimitsMs.length).fill(0);
  for (const { t, i } of order) {
    let best = 0;
    for (let s = 1; s < count; s++) if (load[s]! < load[best]!) best = s;
    load[best] = load[best]! + t;
    shardOf[i] = best + 1;
  }
  return shardOf;
}

/** The SHA-256 of a campaign file's bytes (hex): shards and resumed campaigns must come from the same file. */
export function campaignFileHash(bytes: Buffer | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * The campaign seed of a sharded campaign whose file names none: derived from the file's hash, so every shard, on
 * whatever machine, draws the same run seeds (an unsharded campaign draws a fresh one and records it).
 */
export function seedFromHash(fileHash: string): number {
  return Number.parseInt(fileHash.slice(0, 8), 16) >>> 0;
}
