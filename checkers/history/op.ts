/**
 * The operation record of `history.jsonl` (DESIGN.md "Operations and the history"). Every logical operation is
 * an `invoke` followed by exactly one completion: `ok` (it happened), `fail` (it did not) or `info` (unknown).
 */

/** The four kinds of history entry. */
export type OpType = "invoke" | "ok" | "fail" | "info";

/**
 * Who performed an operation: a logical client process (an integer; retired after an `info`, its worker carries
 * on as `id + concurrency`), the fault injector, or the harness's observer of the cluster.
 */
export type Process = number | "nemesis" | "monitor";

/** One line of `history.jsonl`. */
export interface Op {
  /** Position in the history: 0, 1, 2, … */
  index: number;
  /** Nanoseconds since the run started (monotonic clock). */
  time: number;
  process: Process;
  type: OpType;
  /** `read`, `write`, `cas`, `add`, `get`, `put`, `append`, `txn`, `incr`, … or a fault name. */
  f: string;
  /** The object the op touches; checkers partition by it. */
  key?: string;
  /** Arguments on invoke, results on `ok`. A read invokes with `null`. */
  value?: unknown;
  /** Which node served it. */
  node?: string;
  /** Why it failed or is unknown. */
  error?: string;
  /**
   * Fields of an imported op that faultline does not use, kept as read (an EDN op's other keys, names without the
   * colon, values as JSON), so nothing of the source is lost; an EDN `:index` that is not the op's position is
   * kept here as `index`. `history.jsonl` does not carry it.
   */
  extra?: Record<string, unknown>;
}

/** A history: ops in index order. Checkers never mutate it. */
export type History = readonly Op[];

/** True for client processes (not the nemesis or the monitor). */
export function isClientProcess(p: Process): p is number {
  return typeof p === "number";
}
