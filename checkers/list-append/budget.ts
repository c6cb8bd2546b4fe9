/**
 * The checker's budgets: a wall-clock allowance measured with a passed-in clock (checkers read no clock of their
 * own) and a cap on cycle-search steps.
 */
import type { ListAppendOptions } from "./types.js";

/** Thrown when the wall-clock allowance runs out; the checker turns it into a verdict. */
export class OutOfTime extends Error {
  constructor(
    readonly phase: string,
    readonly limitMs: number,
  ) {
    super(`time budget of ${limitMs} ms exhausted while ${phase}`);
  }
}

/** Tracks time and search steps. */
export class Budget {
  /** Search steps taken so far. */
  steps = 0;
  readonly maxSteps: number;
  private readonly deadline: number;
  private readonly now: () => number;
  private readonly limitMs: number;
  private nextClockCheck = 0;

  constructor(options: ListAppendOptions) {
    this.maxSteps = options.maxSearchSteps ?? 20_000_000;
    this.limitMs = options.timeLimitMs ?? Infinity;
    this.now = options.now ?? (() => performance.now());
    this.deadline = this.limitMs === Infinity ? Infinity : this.now() + this.limitMs;
  }

  /** Throws {@link OutOfTime} once past the deadline. `phase` names what was being done, for the reason. */
  check(phase: string): void {
    if (this.deadline !== Infinity && this.now() > this.deadline) throw new OutOfTime(phase, this.limitMs);
  }

  /**
   * Spends `n` search steps; false once the step cap is reached. Reads the clock only every 65,536 steps, so
   * the time check costs nothing measurable and the deadline is still honoured within milliseconds.
   */
  spend(n: number, phase: string): boolean {
    this.steps += n;
    if (this.steps >= this.nextClockCheck) {
      this.nextClockCheck = this.steps + 65_536;
      this.check(phase);
    }
    return this.steps < this.maxSteps;
  }
}
