/**
 * A worker thread's side of `parallel.ts`: build the model from its spec, partition the sub-history of the keys it
 * was given, and search them round by round (`rounds.ts`) until each is settled, it finds one illegal, or a smaller
 * task has been found illegal elsewhere (the shared bound), whichever comes first.
 */
import type { History } from "../history/op.js";
import type { Model } from "./model.js";
import { resolveOptions } from "./options.js";
import type { ModelSpec } from "./options.js";
import { partitionHistory } from "./partition.js";
import { KeySearch, taskNumber } from "./rounds.js";
import type { SearchOutcome } from "./search.js";

/** Index of the shared bound in the control words: the smallest task number found illegal (-1: stop all). */
export const BOUND = 0;
/** Index of the count of workers that have posted their report. */
export const DONE = 1;
/** Index of the first thread's started flag (thread i's is `STARTED + i`). */
export const STARTED = 2;
/** The bound before any task is found illegal. */
export const NO_BOUND = 0x7fff_ffff;

/** What one worker is asked to do. */
export interface WorkerJob {
  readonly spec: ModelSpec;
  /** The check's key numbers of this worker's keys, ascending (the order of their first invoke). */
  readonly ids: number[];
  /** Their keys, to check that the sub-history splits as the whole history did. */
  readonly keys: string[];
  /** The history's entries of these keys' ops, in history order. */
  readonly entries: History;
  /** The round to start from. */
  readonly round: number;
  /** Keys in the whole check (for task numbers). */
  readonly keyCount: number;
  /** Time left for the check, ms (Infinity: none). */
  readonly remainingMs: number;
  readonly maxBytes: number;
}

/** One search a worker ran. */
export interface WorkerTask {
  readonly id: number;
  readonly round: number;
  readonly outcome: SearchOutcome;
}

/** A worker's report: its searches in the order run, and how many it skipped or stopped for the bound. */
export interface WorkerReport {
  readonly tasks: WorkerTask[];
  readonly cancelled: number;
}

/** Lowers the shared bound to `task` (never raises it). */
function lower(ctrl: Int32Array, task: number): void {
  for (;;) {
    const current = Atomics.load(ctrl, BOUND);
    if (current <= task || Atomics.compareExchange(ctrl, BOUND, current, task) === current) return;
  }
}

/** Runs a job; `ctrl` holds the shared words ({@link BOUND}, {@link DONE}). */
export function runJob(job: WorkerJob, ctrl: Int32Array): WorkerReport {
  const resolved = resolveOptions({
    model: job.spec.name,
    initial: job.spec.initial,
    semantics: job.spec.semantics,
  });
  if (typeof resolved === "string") throw new Error(`worker: ${resolved}`);
  const model = resolved.model as Model<unknown, unknown, unknown>;
  const { partitions } = partitionHistory(job.entries, model, undefined, false);
  if (partitions.length !== job.keys.length || partitions.some((p, j) => p.key !== job.keys[j])) {
    throw new Error("worker: the sub-history does not split into the keys it was sent for");
  }
  const keys = new KeySearch(model, partitions);
  let task = 0;
  // A search reads the clock every 256 steps: a bound below its task reads as a clock past any deadline.
  const now = (): number => (Atomics.load(ctrl, BOUND) < task ? Infinity : performance.now());
  const deadline = Number.isFinite(job.remainingMs) ? performance.now() + job.remainingMs : Number.MAX_VALUE;
  const budget = { now, deadline, maxBytes: job.maxBytes };
  const tasks: WorkerTask[] = [];
  let pending = job.ids.map((_, j) => j);
  for (let round = job.round; pending.length > 0; round++) {
    const again: number[] = [];
    for (let k = 0; k < pending.length; k++) {
      const j = pending[k];
      const id = job.ids[j];
      task = taskNumber(round, id, job.keyCount);
      // This worker's tasks come in increasing order: once one is past the bound, so are all the rest.
      if (Atomics.load(ctrl, BOUND) < task) return { tasks, cancelled: pending.length - k + again.length };
      const outcome = keys.search(j, round, budget);
      if (outcome.kind === "timeout" && Atomics.load(ctrl, BOUND) < task) {
        return { tasks, cancelled: pending.length - k + again.length };
      }
      tasks.push({ id, round, outcome });
      if (outcome.kind === "steps") again.push(j);
      else if (outcome.kind === "illegal") {
        lower(ctrl, task);
        return { tasks, cancelled: pending.length - k - 1 + again.length };
      } else if (outcome.kind === "timeout") return { tasks, cancelled: 0 };
    }
    pending = again;
  }
  return { tasks, cancelled: 0 };
}
