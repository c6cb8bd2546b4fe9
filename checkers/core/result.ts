import type { History } from "../history/op.js";

/** A checker's verdict: valid, invalid, or unknown (could not decide: out of budget, an error). */
export type Validity = true | false | "unknown";

/** One anomaly a checker found, explained in words a user can act on. */
export interface Anomaly {
  /** Short machine-readable name: `lost`, `unexpected`, `G1c`, `nonlinearizable`, `stale-read`, … */
  kind: string;
  /** Plain-language explanation naming the ops, keys and values involved. */
  explanation: string;
  /** History indices of the ops involved, for reports to link to. */
  ops?: number[];
  /** Checker-specific data (the element, the cycle, the model states…). */
  [detail: string]: unknown;
}

/**
 * What every checker returns: a union tagged by `valid`. Checker-specific fields (counts, quantiles,
 * per-key results) ride along in `D`.
 */
export type CheckResult<D extends object = Record<string, unknown>> =
  | ({ valid: true } & D)
  | ({ valid: false; anomalies: Anomaly[] } & D)
  | ({ valid: "unknown"; reason: string } & D);

/** A pure function from a history to a verdict. No I/O, no clock except through a passed-in budget. */
export type Checker<O = unknown, D extends object = Record<string, unknown>> = (
  history: History,
  options?: O,
) => CheckResult<D>;

/** Worst of two validities: `false` beats `"unknown"` beats `true`. */
export function worst(a: Validity, b: Validity): Validity {
  if (a === false || b === false) return false;
  if (a === "unknown" || b === "unknown") return "unknown";
  return true;
}

/**
 * Runs a checker so that it cannot throw: an exception becomes `valid: "unknown"` with the error as the reason
 * (Jepsen's rule: a checker that crashes has not proven anything).
 */
export function safeCheck<O, D extends object>(
  checker: Checker<O, D>,
  history: History,
  options?: O,
): CheckResult<D> | { valid: "unknown"; reason: string; error: string } {
  try {
    return checker(history, options);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { valid: "unknown", reason: `checker threw: ${message}`, error: message };
  }
}

/** The composed verdict of several named checkers: the worst of them, with each one's result. */
export interface ComposedResult {
  valid: Validity;
  results: Record<string, CheckResult>;
}

/** Composes named results, worst wins (an empty composition is valid). */
export function compose(results: Record<string, CheckResult>): ComposedResult {
  let valid: Validity = true;
  for (const r of Object.values(results)) valid = worst(valid, r.valid);
  return { valid, results };
}
