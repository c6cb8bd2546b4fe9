/**
 * Time as the harness sees it, injected (STYLE.md §11) so the history writer and the run loop can be tested
 * with a manual clock.
 */

/** A monotonic clock measuring nanoseconds since the run started. */
export interface Clock {
  /** Nanoseconds since the clock was created. Never goes backwards. */
  nowNs(): number;
}

/**
 * The real monotonic clock (`process.hrtime`), zeroed at creation. Nanoseconds fit a double exactly for
 * 104 days, far beyond any run.
 *
 * @example
 * const clock = monotonicClock();
 * const t = clock.nowNs(); // 0 at creation, then growing
 */
export function monotonicClock(): Clock {
  const start = process.hrtime.bigint();
  return { nowNs: () => Number(process.hrtime.bigint() - start) };
}

/** A clock that moves only when told to, for tests. */
export interface ManualClock extends Clock {
  /** Moves the clock forward. */
  advance(ns: number): void;
}

/** Creates a {@link ManualClock} starting at `startNs`. */
export function manualClock(startNs = 0): ManualClock {
  let now = startNs;
  return {
    nowNs: () => now,
    advance(ns: number) {
      if (ns < 0) throw new RangeError("a monotonic clock cannot go back");
      now += ns;
    },
  };
}
