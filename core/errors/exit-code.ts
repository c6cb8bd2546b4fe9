/**
 * Process exit codes, as Jepsen uses them (DESIGN.md "Verdicts, outputs, exit codes").
 */
export const ExitCode = {
  /** Every checker said valid. */
  Valid: 0,
  /** At least one checker found an anomaly. */
  Invalid: 1,
  /** No anomaly found, but at least one checker could not decide (budget, error). */
  Unknown: 2,
  /**
   * A second Ctrl-C (SIGINT or SIGTERM) during a run or campaign: the run's processes were killed at once, without
   * the clean teardown or a verdict. 130 is the shell's code for a process ended by SIGINT (128 + 2), which is what
   * the user asked for; the history written so far is kept and can be checked.
   */
  Forced: 130,
  /** Bad arguments or input: a flag, a config field, a history line. */
  BadInput: 254,
  /** faultline itself crashed. */
  Crash: 255,
} as const;

/** One of the values of {@link ExitCode}. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
