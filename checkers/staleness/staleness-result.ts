import type { BudgetOptions } from "../core/budget.js";
import type { OutcomeCount } from "../core/outcome-counts.js";
import type { Quantiles } from "../core/quantiles.js";
import type { CheckResult } from "../core/result.js";

/** Options of {@link checkStaleness}. */
export interface StalenessOptions extends BudgetOptions {
  /** The `f` of writes (default `write`). */
  writeF?: string;
  /** The `f` of reads (default `read`). */
  readF?: string;
  /** Check per-session monotonic reads (default true). */
  monotonicReads?: boolean;
  /** Check per-session read-your-writes (default true). */
  readYourWrites?: boolean;
  /** Make a read more than this many versions behind an anomaly (default null: only measured). */
  maxVersionsBehind?: number | null;
  /** Make a read stale by more than this many milliseconds an anomaly (default null: only measured). */
  maxStalenessMs?: number | null;
}

/** How stale reads were, over some set of reads. */
export interface StalenessStats {
  /** Successful reads measured. */
  reads: number;
  /** Reads that returned an older version than the newest acknowledged before they began. */
  staleReads: number;
  /** Versions behind: the newest version acknowledged before the read began, minus the version read (≥ 0). */
  versionsBehind: Quantiles;
  /** Time stale (ms): how long before the read began the version it returned had been superseded by an acknowledged write (0 if it had not). */
  stalenessMs: Quantiles;
}

/** A read that broke a session guarantee, or a bound, or returned a version never written. */
export interface SessionViolation {
  kind: "monotonic-reads" | "read-your-writes" | "unwritten-read" | "staleness-bound";
  key: string;
  /** The session (client process). */
  process: number;
  /** The read: its invoke index and time (ns), the version it returned (0 for null), the node that served it. */
  op: number;
  time: number;
  version: number;
  node?: string;
  /** For monotonic reads: the earlier read of the session; for read-your-writes: the session's write. */
  earlier?: { op: number; version: number };
  /** For a staleness bound: how far behind the read was. */
  versionsBehind?: number;
  stalenessMs?: number;
}

/** What {@link checkStaleness} reports besides the verdict. */
export interface StalenessDetails {
  counts: Record<string, OutcomeCount>;
  keyCount: number;
  /** Sessions (client processes) that read. */
  sessionCount: number;
  /** Over every read, then per node that served reads. */
  overall: StalenessStats;
  byNode: Record<string, StalenessStats>;
  /** Every violation, in history order. */
  violations: SessionViolation[];
  monotonicReadViolations: number;
  readYourWritesViolations: number;
  unwrittenReads: number;
  boundViolations: number;
}

/** The result of {@link checkStaleness}. */
export type StalenessResult = CheckResult<StalenessDetails>;
