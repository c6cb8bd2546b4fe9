/**
 * Budgets for checkers. A checker reads no clock of its own: the clock comes in with the options (`now`), and the
 * budget reads it only every few thousand steps, so the check costs nothing measurable. Running out is never a
 * crash: the checker returns `valid: "unknown"` with {@link OutOfBudget}'s reason.
 */

/** The budget options every checker in this folder accepts (all optional; none means unlimited). */
export interface BudgetOptions {
  /** Wall-clock allowance in milliseconds for the whole check. */
  timeLimitMs?: number | null;
  /**
   * Size limit: the most history entries the checker will take on. A bigger history gives `unknown` at once, before
   * any memory is allocated (a bound on memory, since the working set of these checkers grows with the history).
   */
  maxOps?: number | null;
  /** The clock for `timeLimitMs`, in milliseconds; defaults to `performance.now`. Injected by tests and the registry. */
  now?: () => number;
}

/** Thrown inside a checker when its budget is spent; the checker turns it into `valid: "unknown"`. */
export class OutOfBudget extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = "OutOfBudget";
  }
}

/** A running budget: call {@link Budget.tick} in loops and {@link Budget.check} between phases. */
export interface Budget {
  /**
   * Counts `units` of work (default 1); every 4,096 units it reads the clock and throws {@link OutOfBudget} past the
   * deadline.
   */
  tick(phase: string, units?: number): void;
  /** Reads the clock now and throws {@link OutOfBudget} past the deadline. */
  check(phase: string): void;
}

const UNLIMITED: Budget = { tick() {}, check() {} };

/**
 * Starts a budget for checking `historyLength` entries.
 *
 * @throws OutOfBudget at once when the history is longer than `maxOps`.
 * @example
 * const budget = startBudget({ timeLimitMs: 5_000 }, history.length);
 * for (const op of history) { budget.tick("reading adds"); … }
 */
export function startBudget(options: BudgetOptions, historyLength: number): Budget {
  const maxOps = options.maxOps ?? Infinity;
  if (historyLength > maxOps) {
    throw new OutOfBudget(
      `the history has ${historyLength} entries, more than the size limit maxOps = ${maxOps}`,
    );
  }
  const limit = options.timeLimitMs ?? Infinity;
  if (limit === Infinity) return UNLIMITED;
  const now = options.now ?? (() => performance.now());
  const deadline = now() + limit;
  let ticks = 0;
  const check = (phase: string): void => {
    if (now() > deadline) throw new OutOfBudget(`the time limit of ${limit} ms ran out while ${phase}`);
  };
  return {
    tick(phase, units = 1) {
      ticks += units;
      if (ticks >= 4096) {
        ticks = 0;
        check(phase);
      }
    },
    check,
  };
}
