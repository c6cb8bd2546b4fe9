import type { OpGenerator, Workload, WorkloadChecker } from "../workload.js";

/** Options of {@link setWorkload}. */
export interface SetWorkloadOptions {
  /** The key of the set in the history (default `faultline:set`). */
  key?: string;
  /**
   * Every `readEvery`-th op reads the whole set from the leader , so `set-full` can judge every read
   * (stale reads, visibility latency) besides the final one. 0 (the default) = adds only, the spine's workload;
   * `faultline run --workload set` uses {@link SET_READ_EVERY}.
   */
  readEvery?: number;
}

/** How often `faultline run --workload set` reads the whole set: one op in this many. */
export const SET_READ_EVERY = 10;

/**
 * The `set` workload: every process adds unique integers to one set; with `readEvery`, some
 * ops read the whole set on the leader during the run; the final read takes the whole set from
 * the leader after recovery. Judged by the `set` checker (acknowledged adds missing from the final read are lost,
 * elements read but never attempted are unexpected, `info` adds that were read are recovered) and, when it reads
 * during the run, by `set-full` over every read.
 *
 * @example
 * const workload = setWorkload({ readEvery: 10 });
 * workload.finalReads; // [{ f: "read", key: "faultline:set", value: null }]
 */
export function setWorkload(options: SetWorkloadOptions = {}): Workload<number> {
  const key = options.key ?? "faultline:set";
  const readEvery = options.readEvery ?? 0;
  if (!Number.isInteger(readEvery) || readEvery < 0 || readEvery === 1) {
    throw new RangeError(`readEvery must be 0 or an integer ≥ 2, got ${readEvery}`);
  }
  const checkers: WorkloadChecker[] = [{ name: "set", options: {} }];
  if (readEvery > 0) checkers.push({ name: "set-full", options: {} });
  return {
    name: "set",
    description:
      "add unique integers to one set, read the whole set from the leader now and then and at the end → set (lost, " +
      "unexpected) and set-full (stale reads, visibility latency)",
    generator: setGenerator(key, readEvery),
    isWrite: (op) => op.f === "add",
    usesFollowers: false,
    finalReads: [{ f: "read", key, value: null }],
    checkers,
  };
}

/**
 * The set generator: `add 0`, `add 1`, … in the order processes ask, so every value is attempted at most once
 * in the run, whatever process performs it; with `readEvery` = k, every k-th op is a read instead. The state
 * is the number of ops generated so far (so with no reads it is the next value to add).
 *
 * @example
 * const g = setGenerator("s", 3);
 * // ops: add 0, add 1, read, add 2, add 3, read, …
 */
export function setGenerator(key: string, readEvery = 0): OpGenerator<number> {
  return {
    initial: 0,
    next(n) {
      if (readEvery > 0 && (n + 1) % readEvery === 0) {
        return { op: { f: "read", key, value: null }, state: n + 1 };
      }
      const readsBefore = readEvery > 0 ? Math.floor(n / readEvery) : 0;
      return { op: { f: "add", key, value: n - readsBefore }, state: n + 1 };
    },
  };
}
