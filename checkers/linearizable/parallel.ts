/**
 * Searching keys on worker threads, synchronously: the check stays a plain function call (as every checker is).
 *
 * The open keys are split among the threads once (largest first, each to the least loaded thread: deterministic),
 * and each thread is sent the history entries of its keys alone (the ops as recorded: every built-in model is
 * rebuilt there from its name, so nothing model-specific crosses threads). A thread searches its keys round by
 * round (`rounds.ts`), so its tasks come in increasing task order. The threads share one word, the bound: the
 * smallest task number found illegal. A thread that finds an illegal key lowers it; a search whose task is past the
 * bound stops within 256 steps (it reads the bound where it reads the clock), and so does every later task of that
 * thread. Tasks before the bound run to their end, so the first illegal task in task order is always found, and it
 * is the one the check reports: the same key, round and outcome as a check in one thread (timeouts aside).
 *
 * The calling thread blocks on `Atomics.wait` (reading its own clock between waits, for the time limit) and
 * collects the reports with `receiveMessageOnPort`. Threads are ended (`terminate`) before the call returns.
 * From dist/ the thread runs the compiled `worker.js`; from the TypeScript sources (tests under vitest or tsx) it
 * registers tsx first and runs `worker.ts`.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { MessageChannel, Worker, receiveMessageOnPort } from "node:worker_threads";
import type { MessagePort } from "node:worker_threads";
import type { History } from "../history/op.js";
import type { ModelSpec } from "./options.js";
import type { Partition } from "./partition.js";
import { taskNumber } from "./rounds.js";
import { BOUND, DONE, NO_BOUND, STARTED } from "./worker.js";
import type { WorkerJob, WorkerReport, WorkerTask } from "./worker.js";

/** What {@link searchInWorkers} needs. */
export interface WorkerSearch {
  readonly history: History;
  /** All of the check's partitions (for their entries' positions and keys). */
  readonly partitions: readonly Partition[];
  /** The open keys, ascending. */
  readonly ids: readonly number[];
  /** The round they are at. */
  readonly round: number;
  readonly spec: ModelSpec;
  readonly threads: number;
  /** The caller's clock and deadline (its units). */
  readonly now: () => number;
  readonly deadline: number;
  readonly maxBytes: number;
}

/** The searches to settle, in task order (none past the first illegal one), and what the threads left open. */
export interface WorkersReport {
  readonly tasks: WorkerTask[];
  readonly threads: number;
  /** Keys the threads left open because an earlier task was illegal or the time ran out. */
  readonly cancelled: number;
  /** True when the caller's clock passed the deadline while waiting. */
  readonly timedOut: boolean;
}

/** How long the calling thread sleeps between readings of its clock, ms. */
const WAIT_MS = 50;

/** Threads started and not yet exited (see {@link workerThreadsExited}). */
const live = new Set<Promise<void>>();

/** Worker threads started by this module that have not exited yet. */
export function liveWorkerThreads(): number {
  return live.size;
}

/** Resolves once every worker thread this module started has exited (for tests: nothing is left running). */
export async function workerThreadsExited(): Promise<void> {
  await Promise.all([...live]);
}

/**
 * The code each thread starts with: say it started, load the worker module, run the job, report, count itself done.
 * It reads the same as a script and as a module (a thread inherits `--input-type=module` from `node -e`).
 */
const BOOT = `
import("node:worker_threads").then(async ({ workerData }) => {
  const { port, ctrl, index } = workerData;
  Atomics.store(ctrl, ${STARTED} + index, 1);
  let report;
  try {
    if (workerData.tsx !== undefined) (await import(workerData.tsx)).register();
    const worker = await import(workerData.entry);
    report = worker.runJob(workerData.job, ctrl);
  } catch (err) {
    report = { error: String((err && err.stack) || err) };
  }
  port.postMessage(report);
  port.close();
  Atomics.add(ctrl, ${DONE}, 1);
  Atomics.notify(ctrl, ${DONE});
});
`;

/**
 * How long a thread may take to start running its code, ms (real time): past it the threads are ended and the
 * caller searches the keys itself. Starting takes well under a second on an idle machine.
 */
const START_LIMIT_MS = 30_000;

/** The part of tsx's package.json read here. */
interface TsxManifest {
  exports: { "./esm/api": { import: { default: string } } };
}

/** The worker module to load, and tsx's API when it is TypeScript. */
function entry(): { entry: string; tsx: string | undefined } {
  const here = fileURLToPath(import.meta.url);
  if (!here.endsWith(".ts")) return { entry: new URL("./worker.js", import.meta.url).href, tsx: undefined };
  // tsx's ESM API, from its package's exports (require.resolve would give its CommonJS build).
  const manifest = createRequire(import.meta.url).resolve("tsx/package.json");
  const exports = (JSON.parse(readFileSync(manifest, "utf8")) as TsxManifest).exports["./esm/api"].import;
  const tsx = pathToFileURL(join(dirname(manifest), exports.default)).href;
  return { entry: new URL("./worker.ts", import.meta.url).href, tsx };
}

/** Splits keys among threads: largest first, each to the thread with the fewest ops so far; each list ascending. */
function split(partitions: readonly Partition[], ids: readonly number[], threads: number): number[][] {
  const groups: number[][] = Array.from({ length: threads }, () => []);
  const load = new Array<number>(threads).fill(0);
  const bySize = [...ids].sort((a, b) => partitions[b].n - partitions[a].n || a - b);
  for (const id of bySize) {
    let t = 0;
    for (let u = 1; u < threads; u++) if (load[u] < load[t]) t = u;
    groups[t].push(id);
    load[t] += partitions[id].n + 1;
  }
  for (const g of groups) g.sort((a, b) => a - b);
  return groups.filter((g) => g.length > 0);
}

/** The history's entries of the ops of keys `ids`, in history order. */
function entriesOf(history: History, partitions: readonly Partition[], ids: readonly number[]): History {
  let count = 0;
  for (const id of ids) count += 2 * partitions[id].n;
  const at = new Int32Array(count);
  let k = 0;
  for (const id of ids) {
    const { n, invokeAt, completeAt } = partitions[id];
    for (let i = 0; i < n; i++) {
      at[k++] = invokeAt[i];
      if (completeAt[i] >= 0) at[k++] = completeAt[i];
    }
  }
  const sorted = at.subarray(0, k).sort();
  return Array.from(sorted, (p) => history[p]);
}

/**
 * Searches keys `ids` from round `round` on worker threads. Undefined when the threads could not do it (a history
 * that cannot be sent to a thread, a thread that failed): the caller then searches them itself.
 */
export function searchInWorkers(job: WorkerSearch): WorkersReport | undefined {
  const { partitions, ids, round, now, deadline } = job;
  const ctrl = new Int32Array(new SharedArrayBuffer(4 * (STARTED + job.threads)));
  ctrl[BOUND] = NO_BOUND;
  const groups = split(partitions, ids, job.threads);
  const { entry: workerEntry, tsx } = entry();
  const started: { worker: Worker; port: MessagePort }[] = [];
  const stop = (): void => {
    Atomics.store(ctrl, BOUND, -1);
    for (const { worker, port } of started) {
      port.close();
      void worker.terminate();
    }
  };
  try {
    for (const [index, ids] of groups.entries()) {
      const work: WorkerJob = {
        spec: job.spec,
        ids,
        keys: ids.map((id) => partitions[id].key),
        entries: entriesOf(job.history, partitions, ids),
        round,
        keyCount: partitions.length,
        remainingMs: Math.max(0, deadline - now()),
        maxBytes: job.maxBytes,
      };
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker(BOOT, {
        eval: true,
        workerData: { entry: workerEntry, tsx, port: port2, ctrl, index, job: work },
        transferList: [port2],
      });
      worker.unref();
      const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
      live.add(exited);
      void exited.then(() => live.delete(exited));
      started.push({ worker, port: port1 });
    }
  } catch {
    // Values a thread cannot be sent (DataCloneError), or a thread that cannot be created: search here.
    stop();
    return undefined;
  }

  let timedOut = false;
  const startBy = performance.now() + START_LIMIT_MS;
  let allStarted = false;
  for (let done = Atomics.load(ctrl, DONE); done < started.length; done = Atomics.load(ctrl, DONE)) {
    Atomics.wait(ctrl, DONE, done, WAIT_MS);
    if (!timedOut && now() > deadline) {
      timedOut = true;
      Atomics.store(ctrl, BOUND, -1);
    }
    if (!allStarted) {
      allStarted = started.every((_, index) => Atomics.load(ctrl, STARTED + index) === 1);
      if (!allStarted && performance.now() > startBy) {
        // A thread that never ran its code (it could not start) would never report.
        stop();
        return undefined;
      }
    }
  }
  const reports: WorkerReport[] = [];
  let failed = false;
  for (const { port } of started) {
    const message = receiveMessageOnPort(port)?.message as (WorkerReport & { error?: string }) | undefined;
    if (message === undefined || message.error !== undefined) failed = true;
    else reports.push(message);
  }
  stop();
  if (failed) return undefined;
  return { ...merge(reports, partitions.length), threads: started.length, timedOut };
}

/** All reports' tasks in task order, cut after the first illegal one (and without timeouts before it). */
function merge(reports: WorkerReport[], keyCount: number): { tasks: WorkerTask[]; cancelled: number } {
  const order = (t: WorkerTask): number => taskNumber(t.round, t.id, keyCount);
  const tasks = reports.flatMap((r) => r.tasks).sort((a, b) => order(a) - order(b));
  const cancelled = reports.reduce((sum, r) => sum + r.cancelled, 0);
  const first = tasks.findIndex((t) => t.outcome.kind === "illegal");
  if (first < 0) return { tasks, cancelled };
  // The time may have run out on another thread while this one found the key: invalid beats unknown.
  const before = tasks.slice(0, first).filter((t) => t.outcome.kind !== "timeout");
  return { tasks: [...before, tasks[first]], cancelled };
}
