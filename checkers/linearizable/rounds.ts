/**
 * The order in which a check searches its keys: rounds of growing step budgets, so that one hard key cannot keep
 * the check from an easy key that proves the history invalid (invalid beats unknown).
 *
 * Round 0 (models with a lookahead or a refine, see `lookahead.ts` and `refine.ts`: kv) is a plain WGL search of
 * the key as the history gives it, with a small step budget, for keys with at most {@link PLAIN_CONCURRENCY} ops
 * open at once: such keys (porcupine's 10-client kv files have at most 5) mostly end there, and neither the refine
 * step nor the lookahead, which cost more than the whole search on them, is paid for. A key with more ops open at
 * once (9 to 21 on the generated 50- and 100-client histories) is where the plain search explodes: it skips round 0.
 * A key still open is refined and searched with the model's lookahead from round 1 on, with
 * {@link FIRST_ROUND_STEPS} steps, four times more each round: a key that needs S steps costs at most about 4S/3.
 *
 * Each (round, key) search is a task, numbered round · keys + key (keys in order of their first invoke). Tasks are
 * deterministic (a step budget, not a clock), so the first illegal task in that order is the same however the
 * tasks are scheduled: in process, one after the other, or over worker threads (`parallel.ts`).
 */
import { hasLookahead } from "./lookahead.js";
import type { Model } from "./model.js";
import { refinePartition } from "./partition.js";
import type { Partition } from "./partition.js";
import { hasRefine } from "./refine.js";
import { Workspace, search } from "./search.js";
import type { SearchBudget, SearchOutcome } from "./search.js";

/** Round 0's step budget per key: what a 10-client kv key needs (at most about 1,300 steps), and more. */
export const PLAIN_STEPS = 2048;

/** The most ops open at once on a key that round 0 searches. */
export const PLAIN_CONCURRENCY = 8;

/** The most ops of `part` open at once (called, not returned yet; ops that never return stay open). */
export function openAtOnce(part: Partition): number {
  let open = 0;
  let most = 0;
  for (const ev of part.events) {
    if ((ev & 1) === 0) {
      open++;
      if (open > most) most = open;
    } else open--;
  }
  return most;
}

/** Round 0's outcome for a key it leaves to the later rounds. */
const SKIPPED: SearchOutcome = Object.freeze({ kind: "steps", steps: 0, depth: 0, cached: 0 });

/** Round 1's step budget per key (four times more each round after it): most keys need far fewer. */
export const FIRST_ROUND_STEPS = 1 << 16;

/** The first round a model's keys are searched in: 0 when it has a lookahead or a refine, else 1. */
export function firstRound(model: Model<unknown, unknown, unknown>): number {
  return hasLookahead(model) || hasRefine(model) ? 0 : 1;
}

/** The step budget of round `round` (≥ 1: {@link FIRST_ROUND_STEPS} · 4^(round − 1)). */
export function roundSteps(round: number): number {
  return round === 0 ? PLAIN_STEPS : FIRST_ROUND_STEPS * 4 ** (round - 1);
}

/** A task's number: its place in the order every scheduler reports by. */
export function taskNumber(round: number, id: number, keyCount: number): number {
  return round * keyCount + id;
}

/**
 * A check's keys and the searches of them, round by round. Partitions come unrefined (`partitionHistory(…, false)`)
 * and are refined here when a key first reaches round 1.
 */
export class KeySearch {
  private readonly refined: Uint8Array;
  readonly workspace = new Workspace();

  constructor(
    readonly model: Model<unknown, unknown, unknown>,
    readonly partitions: Partition[],
  ) {
    this.refined = new Uint8Array(partitions.length);
  }

  /** Key `id`'s partition as round `round` searches it (refined from round 1 on). */
  prepare(id: number, round: number): Partition {
    if (round >= 1 && this.refined[id] === 0) {
      this.refined[id] = 1;
      this.partitions[id] = refinePartition(this.model, this.partitions[id]);
    }
    return this.partitions[id];
  }

  /** Searches key `id` in round `round`. */
  search(id: number, round: number, budget: SearchBudget): SearchOutcome {
    const part = this.prepare(id, round);
    const limits = { ...budget, maxSteps: roundSteps(round) };
    if (round === 0) {
      if (openAtOnce(part) > PLAIN_CONCURRENCY) return SKIPPED;
      return search(this.model, part, limits, undefined, this.workspace, { lookahead: false });
    }
    return search(this.model, part, limits, undefined, this.workspace);
  }
}
