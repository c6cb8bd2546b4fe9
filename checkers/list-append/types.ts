/**
 * Types of the list-append checker: the micro-ops of a transaction, the anomaly kinds it reports, its options and
 * the shape of its result.
 *
 * History contract (one op per line of `history.jsonl`, DESIGN.md "Operations and the history"):
 *
 * - `f: "txn"`; every other `f` is ignored (nemesis and monitor ops may be interleaved freely).
 * - `value` is a list of micro-ops. On `invoke`: `["append", key, element]` and `["r", key, null]`. On `ok` the
 *   reads are filled in with the whole list: `["r", key, [e1, e2, …]]`.
 * - Keys are strings or integers (`1` and `"1"` are different keys); elements are strings or numbers.
 * - Appended elements are unique per key: no two appends (in any transactions) add the same element to the same
 *   key. The workload guarantees it; a history that breaks it gets `valid: "unknown"`, never a guess.
 * - `fail` means the transaction definitely did not happen (a definite abort); `info`, or an invoke with no
 *   completion, means it may or may not have happened. Their micro-ops are the invoke's, and their reads are unknown.
 * - A transaction is performed by the store in one unit (the store adapter's op code).
 *
 * @example
 * ```json
 * {"index":0,"time":0,"process":0,"type":"invoke","f":"txn","value":[["append",3,5],["r",4,null]]}
 * {"index":1,"time":9,"process":0,"type":"ok","f":"txn","value":[["append",3,5],["r",4,[1,2]]]}
 * ```
 */

/** A list's name: a string or an integer. */
export type Key = string | number;

/** An appended element: a string or a number, unique per key. */
export type Element = string | number;

/** `["append", key, element]`: adds `element` to the end of the list `key`. */
export type AppendMop = readonly ["append", Key, Element];

/** `["r", key, list]`: reads the whole list (`null` on invoke and whenever the result is unknown). */
export type ReadMop = readonly ["r", Key, readonly Element[] | null];

/** One micro-operation of a transaction. */
export type MicroOp = AppendMop | ReadMop;

/** How a transaction ended: `ok` (committed), `fail` (definitely aborted), `info` (unknown). */
export type TxnOutcome = "ok" | "fail" | "info";

/**
 * The consistency models the checker names, weakest first, as in Jepsen's hierarchy (jepsen.io/consistency):
 * read-uncommitted (Adya PL-1) < read-committed (PL-2) < repeatable-read (PL-2.99) and snapshot-isolation <
 * serializable (PL-3) < strict-serializable (PL-SS).
 */
export type ConsistencyModel =
  | "read-uncommitted"
  | "read-committed"
  | "repeatable-read"
  | "snapshot-isolation"
  | "serializable"
  | "strict-serializable";

/** The data-dependency cycle kinds, by the edges the cycle needs (Adya; Elle's classification). */
export type BaseCycleKind = "G0" | "G1c" | "G-single" | "G-nonadjacent" | "G2-item";

/**
 * A cycle anomaly: a base kind, or its `-process` / `-realtime` variant when process-order or real-time edges are
 * needed to close the cycle.
 */
export type CycleKind = BaseCycleKind | `${BaseCycleKind}-process` | `${BaseCycleKind}-realtime`;

/** Anomalies found without cycle search, from the lists themselves. */
export type DirectKind =
  | "G1a"
  | "G1b"
  | "dirty-update"
  | "lost-update"
  | "incompatible-order"
  | "duplicate-elements"
  | "unexpected-element"
  | "internal"
  | "future-read";

/** Every anomaly kind the list-append checker reports. */
export type ListAppendAnomalyKind = CycleKind | DirectKind;

/** The kinds of dependency edge between two transactions. */
export type EdgeType = "ww" | "wr" | "rw" | "process" | "realtime";

/** A transaction as shown in an explanation. */
export interface TxnView {
  /** Name within the explanation: `T1`, `T2`, … */
  name: string;
  /** History index of the completion (of the invoke when there is none). */
  index: number;
  /** History index of the invoke. */
  invokeIndex: number;
  process: number;
  outcome: TxnOutcome;
  /** The micro-ops (the completion's for `ok`, the invoke's otherwise). */
  mops: readonly MicroOp[];
}

/** One step of a cycle: `from` must precede `to`, and why. */
export interface CycleStep {
  /** Name of the earlier transaction (`T1`). */
  from: string;
  /** Name of the later transaction (`T2`). */
  to: string;
  type: EdgeType;
  /** `T1 < T2 because …`. */
  explanation: string;
}

/**
 * Options of `checkListAppend`. Flat and JSON-friendly (they come from `config.json` and flags), with the budget
 * options every faultline checker accepts (`timeLimitMs`, `maxOps`, `now`).
 */
export interface ListAppendOptions {
  /**
   * The consistency model the history must satisfy (default `strict-serializable`, i.e. every anomaly counts).
   * Anomalies the model allows are still counted (`allowed`), but do not make the history invalid.
   */
  model?: ConsistencyModel;
  /** If given, exactly these anomaly kinds make the history invalid, whatever `model` says. */
  anomalies?: readonly ListAppendAnomalyKind[] | null;
  /** Wall-clock allowance in ms (null: none); running out gives `"unknown"`, or `false` if already proven. */
  timeLimitMs?: number | null;
  /** Size limit: a history with more entries gives `"unknown"` at once, before anything is allocated. */
  maxOps?: number | null;
  /**
   * Upper bound on breadth-first search steps spent looking for witness cycles (default 20,000,000). Past it the
   * search keeps the witnesses it has and lists what it could not finish in `incomplete`.
   */
  maxSearchSteps?: number | null;
  /** At most this many witnesses per anomaly kind in `anomalies` (default 8); `counts` has the full numbers. */
  maxWitnesses?: number;
  /** The clock `timeLimitMs` is measured with, in ms (default `performance.now`); injected by tests and the registry. */
  now?: () => number;
}

/** Checker-specific fields of the result. */
export interface ListAppendDetails {
  /** Distinct anomaly kinds found that the checked model prohibits, in severity order. */
  anomalyTypes: ListAppendAnomalyKind[];
  /** How many of each kind were found (all kinds, prohibited or not). */
  counts: Partial<Record<ListAppendAnomalyKind, number>>;
  /** Kinds found but allowed by the checked model / anomaly selection. */
  allowed: ListAppendAnomalyKind[];
  /** Models (of the six) ruled out by everything found, weakest first. */
  rulesOut: ConsistencyModel[];
  /** Transactions seen: committed, aborted, unknown. */
  txns: { ok: number; fail: number; info: number };
  /** Searches that could not finish within the search budget (empty when the analysis is complete). */
  incomplete: string[];
}
