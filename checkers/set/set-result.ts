import type { BudgetOptions } from "../core/budget.js";
import type { CheckResult } from "../core/result.js";
import type { OutcomeCount } from "../core/outcome-counts.js";

/** Options of {@link checkSet}. */
export interface SetOptions extends BudgetOptions {
  /** The `f` of adds (default `add`). */
  addF?: string;
  /** The `f` of reads (default `read`). */
  readF?: string;
}

/** An acknowledged add missing from the final read. */
export interface LostElement {
  element: unknown;
  /** Index of the add's invoke. */
  op: number;
  /** Index of its `ok` completion. */
  ackedAt: number;
  /** Time of the `ok` completion (ns since the run started). */
  ackedTime: number;
}

/** An element present although every add of it failed. */
export interface FailedButPresent {
  element: unknown;
  /** Invoke index of (the first of) its failed add(s). */
  op: number;
  /** Index of the `fail` completion. */
  failedAt: number;
}

/** The read the set checker judged. */
export interface FinalRead {
  /** Invoke index. */
  op: number;
  /** Completion index. */
  completedAt: number;
  /** Invoke time (ns). */
  time: number;
  node?: string;
  /** Number of elements it returned (duplicates included). */
  size: number;
}

/** What {@link checkSet} reports besides the verdict. */
export interface SetDetails {
  /** ok / fail / info counts of client ops per `f`. */
  counts: Record<string, OutcomeCount>;
  /** The last successful read, or null when there was none. */
  finalRead: FinalRead | null;
  /** Distinct elements some add attempted before the final read completed. */
  attemptCount: number;
  /** Distinct elements acknowledged (some add of them `ok`). */
  acknowledgedCount: number;
  /** Acknowledged elements present in the final read. */
  okCount: number;
  /** Acknowledged (before the final read began) but absent: sorted, all of them. */
  lost: LostElement[];
  lostCount: number;
  /** Read but never attempted before the read completed: sorted. */
  unexpected: unknown[];
  unexpectedCount: number;
  /** Read although their add's outcome was unknown (`info`): sorted. Not an anomaly. */
  recovered: unknown[];
  recoveredCount: number;
  /** Read although every add of them failed: sorted. */
  failedButPresent: FailedButPresent[];
  failedButPresentCount: number;
  /**
   * Acknowledged only after the final read began, and absent from it: the read may have been served before the
   * add took effect, so they are not counted as lost. Sorted.
   */
  concurrent: unknown[];
  concurrentCount: number;
  /** Elements the final read returned more than once, sorted. */
  duplicated: unknown[];
  duplicatedCount: number;
}

/** The result of {@link checkSet}. */
export type SetResult = CheckResult<SetDetails>;
