import type { Invocation, ListMop, Workload } from "../workload.js";
import { listAppendGenerator, type ListAppendGeneratorState } from "./list-append-generator.js";

/** Options of {@link listAppendWorkload}; every field has a default. */
export interface ListAppendWorkloadOptions {
  /** Lists transactions pick from at a time (default 3). */
  activeKeys?: number;
  /** Micro-ops per transaction: 1…maxTxnLength (default 4). */
  maxTxnLength?: number;
  /** Appends after which a list is replaced by a fresh one (default 32). */
  maxAppendsPerKey?: number;
  /** Fraction of micro-ops that read (default 0.5). */
  readFraction?: number;
  /** The final read covers at most this many lists: the most recent ones (default 256). */
  finalKeys?: number;
}

/**
 * The `list-append` workload: transactions of appends and whole-list reads over a few lists, each one transaction
 * on the leader. The final read
 * is one read-only transaction over the lists transactions used, up to the `finalKeys` most recent. Judged by `list-append` (Elle): lost appends,
 * dirty and aborted reads, incompatible orders and dependency cycles, against strict serializability — what a
 * single leader gives transactions, and what failover breaks.
 *
 * @example
 * const w = listAppendWorkload({ activeKeys: 2 });
 * w.checkers; // [{ name: "list-append", options: { model: "strict-serializable" } }]
 */
export function listAppendWorkload(
  options: ListAppendWorkloadOptions = {},
): Workload<ListAppendGeneratorState> {
  const o = resolveListAppendOptions(options);
  // The highest key a transaction has touched: the final read covers the lists up to it (keys are handed out in
  // order, so those are the ones in use and the most recently retired).
  let highestKey = o.activeKeys - 1;
  return {
    name: "list-append",
    description:
      "transactions of appends and whole-list reads over a few lists at the leader → list-append (Elle-style " +
      "anomalies against strict serializability)",
    generator: listAppendGenerator(o),
    observe(op: Invocation): void {
      if (op.f !== "txn") return;
      for (const m of op.value as ListMop[]) highestKey = Math.max(highestKey, m[1]);
    },
    isWrite: (op) => op.f === "txn" && (op.value as ListMop[]).some((m) => m[0] === "append"),
    usesFollowers: false,
    get finalReads(): Invocation[] {
      const from = Math.max(0, highestKey + 1 - o.finalKeys);
      const value = Array.from({ length: highestKey + 1 - from }, (_, i) => ["r", from + i, null]);
      return [{ f: "txn", value }];
    },
    checkers: [{ name: "list-append", options: { model: "strict-serializable" } }],
  };
}

/** Fills in {@link ListAppendWorkloadOptions}' defaults and checks them (a RangeError names the bad option). */
export function resolveListAppendOptions(
  options: ListAppendWorkloadOptions,
): Required<ListAppendWorkloadOptions> {
  const o = {
    activeKeys: options.activeKeys ?? 3,
    maxTxnLength: options.maxTxnLength ?? 4,
    maxAppendsPerKey: options.maxAppendsPerKey ?? 32,
    readFraction: options.readFraction ?? 0.5,
    finalKeys: options.finalKeys ?? 256,
  };
  for (const name of ["activeKeys", "maxTxnLength", "maxAppendsPerKey", "finalKeys"] as const) {
    if (!Number.isInteger(o[name]) || o[name] < 1) {
      throw new RangeError(`${name} must be an integer ≥ 1, got ${o[name]}`);
    }
  }
  if (!(o.readFraction >= 0 && o.readFraction <= 1)) {
    throw new RangeError(`readFraction must be in [0, 1], got ${o.readFraction}`);
  }
  return o;
}
