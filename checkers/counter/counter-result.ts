import type { BudgetOptions } from "../core/budget.js";
import type { OutcomeCount } from "../core/outcome-counts.js";
import type { CheckResult } from "../core/result.js";

/** Options of {@link checkCounter}. */
export interface CounterOptions extends BudgetOptions {
  /** The `f`s that add their `value` (an integer delta) to the counter (default `add` and `incr`). */
  addFs?: string[];
  /** The `f` of reads (default `read`). */
  readF?: string;
  /** The counter's value before any add (default 0). A read of `null` (a missing key) reads this. */
  initial?: number;
}

/** A read whose value no combination of the adds around it can explain. */
export interface OutOfBoundsRead {
  /** The counter's key, when ops carry one. */
  key?: string;
  /** The read's invoke index, and its completion. */
  op: number;
  completedAt: number;
  /** Invoke time (ns). */
  time: number;
  value: number;
  /** The smallest and largest value the counter could have had while the read ran. */
  lower: number;
  upper: number;
  node?: string;
}

/** What {@link checkCounter} reports besides the verdict. */
export interface CounterDetails {
  counts: Record<string, OutcomeCount>;
  /** Successful reads checked. */
  readCount: number;
  /** Keys (counters) checked; ops without a key form one counter. */
  keyCount: number;
  /** Every read out of bounds, in history order. */
  errors: OutOfBoundsRead[];
  errorCount: number;
}

/** The result of {@link checkCounter}. */
export type CounterResult = CheckResult<CounterDetails>;
