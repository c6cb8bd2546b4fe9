/**
 * Options of the linearizability checker, resolved once into complete ones.
 */
import { availableParallelism } from "node:os";
import type { Semantics } from "../history/semantics.js";
import { isSemantics } from "../history/semantics.js";
import { ModelInputError } from "./model.js";
import type { AnyModel } from "./model.js";
import { createModel, isModelName, models, withSemantics } from "./models.js";
import type { ModelName } from "./models.js";

/** Options of {@link checkLinearizable}. */
export interface LinearizableOptions {
  /** A built-in model's name, or a model of your own. */
  model: ModelName | AnyModel;
  /**
   * A built-in model's initial state, as JSON (default, or `undefined`: the model's own — `null` for registers,
   * `{}` for a multi-register, free for a mutex, `""` for kv, empty for a set, 0 for a counter). Knossos's tests
   * start registers at 0: `{ model: "cas-register", initial: 0 }`.
   */
  initial?: unknown;
  /**
   * How the history's ops are read (default `faultline`): `jepsen` for Jepsen's, Knossos's and Elle's histories,
   * where a `fail` had no effect and observed nothing and a register read of `null` read an unknown value
   * (see {@link Semantics}).
   */
  semantics?: Semantics | null;
  /**
   * Wall-clock budget in milliseconds for the whole check (default, or `null`: none). Honoured within about
   * 100 ms; running out gives `valid: "unknown"` with how far the search got.
   */
  timeLimitMs?: number | null;
  /**
   * Memory budget in bytes for one key's search cache (default, or `null`: 1 GiB). Exceeding it makes that key
   * unknown; the other keys are still checked, since one illegal key still proves the history invalid.
   */
  maxCacheBytes?: number | null;
  /** Size limit: a history with more entries gives `unknown` at once, unchecked (default, or `null`: none). */
  maxOps?: number | null;
  /** The clock, in milliseconds (default `performance.now`). Injected so that tests can drive budgets. */
  now?: () => number;
  /**
   * Worker threads that may search keys at once (default, or `null`: `min(2, os.availableParallelism())`; 1: all in
   * this thread). They are used only for a built-in model (named, so that a worker can build it too) and only when at
   * least two keys are still open after the first two rounds of the search in this thread (see `rounds.ts`: each
   * key's first 65,536 steps, plus 2,048 plain steps for a kv key with few clients): small and easy histories never
   * pay for starting a thread. The verdict and the reported key are the same with any number of workers (see
   * `parallel.ts`).
   */
  workers?: number | null;
  /**
   * @internal The round from which open keys go to worker threads (default 2: after rounds 0 and 1 in this
   * thread; see `rounds.ts`). Tests set 0 to send small histories to the workers.
   */
  workerRound?: number;
}

/** What a worker thread needs to build the same model: a built-in model's name, initial state and semantics. */
export interface ModelSpec {
  readonly name: ModelName;
  readonly initial: unknown;
  readonly semantics: Semantics;
}

/** Options after resolution. */
export interface ResolvedOptions {
  model: AnyModel;
  timeLimitMs: number;
  maxCacheBytes: number;
  maxOps: number;
  now: () => number;
  workers: number;
  workerRound: number;
  /** Set for a built-in model only. */
  spec: ModelSpec | undefined;
}

/** The default number of worker threads: `min(2, os.availableParallelism())`. */
export function defaultWorkers(): number {
  return Math.max(1, Math.min(2, availableParallelism()));
}

/** The default memory budget of one key's search: 1 GiB. */
export const DEFAULT_MAX_CACHE_BYTES = 2 ** 30;

/** Resolves options, or returns the message naming what is wrong. */
export function resolveOptions(options: LinearizableOptions | undefined): ResolvedOptions | string {
  if (options === undefined || options === null) return `option model is required (one of ${modelList()})`;
  const m = options.model;
  const semantics = options.semantics ?? "faultline";
  if (!isSemantics(semantics)) {
    return `option semantics must be "jepsen" or "faultline", got ${JSON.stringify(options.semantics)}`;
  }
  let model: AnyModel;
  let spec: ModelSpec | undefined;
  if (typeof m === "string") {
    if (!isModelName(m)) return `option model: unknown model ${JSON.stringify(m)} (one of ${modelList()})`;
    try {
      model =
        options.initial === undefined && semantics === "faultline"
          ? models[m]
          : createModel(m, { initial: options.initial, semantics });
    } catch (err) {
      if (err instanceof ModelInputError) return `option initial: ${err.message}`;
      throw err;
    }
    spec = { name: m, initial: options.initial, semantics };
  } else if (m !== null && typeof m === "object" && typeof m.step === "function") {
    if (options.initial !== undefined) {
      return "option initial applies to the built-in models; a Model object starts from its own init()";
    }
    model = withSemantics(m, semantics);
  } else {
    return `option model is required (one of ${modelList()}, or a Model object)`;
  }
  const timeLimitMs = options.timeLimitMs ?? Infinity;
  if (typeof timeLimitMs !== "number" || !(timeLimitMs >= 0)) {
    return `option timeLimitMs must be a number ≥ 0, got ${JSON.stringify(options.timeLimitMs)}`;
  }
  const maxCacheBytes = options.maxCacheBytes ?? DEFAULT_MAX_CACHE_BYTES;
  if (typeof maxCacheBytes !== "number" || !(maxCacheBytes > 0)) {
    return `option maxCacheBytes must be a number > 0, got ${JSON.stringify(options.maxCacheBytes)}`;
  }
  const maxOps = options.maxOps ?? Infinity;
  if (typeof maxOps !== "number" || !(maxOps >= 0)) {
    return `option maxOps must be a number ≥ 0, got ${JSON.stringify(options.maxOps)}`;
  }
  const workers = options.workers ?? defaultWorkers();
  if (typeof workers !== "number" || !Number.isInteger(workers) || workers < 1) {
    return `option workers must be an integer ≥ 1, got ${JSON.stringify(options.workers)}`;
  }
  const workerRound = options.workerRound ?? 2;
  const now = options.now ?? (() => performance.now());
  return { model, timeLimitMs, maxCacheBytes, maxOps, now, workers, workerRound, spec };
}

function modelList(): string {
  return Object.keys(models).join(", ");
}
