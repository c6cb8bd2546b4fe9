import type { BudgetOptions } from "../core/budget.js";
import type { OutcomeCount } from "../core/outcome-counts.js";
import type { Quantiles } from "../core/quantiles.js";
import type { CheckResult } from "../core/result.js";

/** Options of {@link checkSetFull}. */
export interface SetFullOptions extends BudgetOptions {
  /** The `f` of adds (default `add`). */
  addF?: string;
  /** The `f` of reads (default `read`). */
  readF?: string;
  /**
   * Jepsen's `:linearizable?`: when true, a stale element (missed by a read that began after it was known) makes the
   * history invalid. Default false: followers may lag.
   */
  linearizable?: boolean;
  /** Include a record for every element in `elements` (default false: only lost, stale and anomalous ones). */
  elementDetails?: boolean;
}

/** A point in the history: an op's index and its time (ns since the run started). */
export interface At {
  op: number;
  time: number;
}

/** What happened to one attempted element (see {@link checkSetFull} for the definitions). */
export type ElementOutcome = "stable" | "lost" | "never-read";

/** One element's record. */
export interface ElementRecord {
  element: unknown;
  outcome: ElementOutcome;
  /** When it became known: the add's `ok` completion or the completion of the first read that saw it. */
  known: At | null;
  /** The first read (earliest completion) that saw it: its invoke. */
  firstSeen: At | null;
  /** The last read (latest invoke) that saw it. */
  lastSeen: At | null;
  /** The latest read that began after `known` and did not see it (its invoke), or null. */
  lastAbsent: At | null;
}

/** An element lost: known, then missing from every read from `firstMissing` on (the last read included). */
export interface LostRecord extends ElementRecord {
  outcome: "lost";
  /** The first read that began after the element was known and after the last read that saw it. */
  firstMissing: At;
  /** How many reads, from `firstMissing` to the end, missed it. */
  missingReads: number;
}

/** A stable element that some read which began after it was known did not see. */
export interface StaleRecord extends ElementRecord {
  outcome: "stable";
  /** Jepsen's stable latency: from `known` to the start of the last read that missed it (ms). */
  stableLatencyMs: number;
}

/** A read that returned an element more than once. */
export interface DuplicateRecord {
  element: unknown;
  /** The read's invoke index. */
  op: number;
  /** How many times it was returned. */
  copies: number;
}

/** An element read although every add of it failed. */
export interface FailedButPresentRecord {
  element: unknown;
  /** Invoke index of its (first) failed add, and of the `fail` completion. */
  op: number;
  failedAt: number;
  firstSeen: At;
}

/** An element read that no add had attempted by the time the read completed. */
export interface UnexpectedRecord {
  element: unknown;
  /** The first read that returned it (its invoke). */
  read: At;
  /** `never-added`, or `added-later`: its first add was invoked after that read completed. */
  why: "never-added" | "added-later";
}

/** What {@link checkSetFull} reports besides the verdict. */
export interface SetFullDetails {
  counts: Record<string, OutcomeCount>;
  /** Successful reads judged. */
  readCount: number;
  attemptCount: number;
  stableCount: number;
  lostCount: number;
  neverReadCount: number;
  staleCount: number;
  duplicatedCount: number;
  failedButPresentCount: number;
  unexpectedCount: number;
  /** Sorted by element. */
  lost: LostRecord[];
  stale: StaleRecord[];
  /** Elements no read began after they were known, or never known (an unacknowledged add never seen). */
  neverRead: unknown[];
  duplicated: DuplicateRecord[];
  failedButPresent: FailedButPresentRecord[];
  unexpected: UnexpectedRecord[];
  /**
   * Visibility latency (ms) of acknowledged elements: from the add's `ok` to the completion of the first read that
   * began after it and saw the element.
   */
  visibilityLatencyMs: Quantiles;
  /** Jepsen's stable latency (ms) over stable elements: 0 unless stale. */
  stableLatencyMs: Quantiles;
  /** Every element's record, when `elementDetails` is set. */
  elements?: ElementRecord[];
}

/** The result of {@link checkSetFull}. */
export type SetFullResult = CheckResult<SetFullDetails>;
