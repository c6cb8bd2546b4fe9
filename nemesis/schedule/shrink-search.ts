import { InputError } from "../../core/errors/index.js";

/** What a shrink attempt found: a bare boolean, or the verdict with evidence (e.g. the run directory). */
export type StillFailsVerdict<E> = boolean | { readonly fails: boolean; readonly evidence?: E };

/** One try of a candidate. */
export interface ShrinkAttempt<S> {
  /** 1, 2, … in the order tried. */
  readonly attempt: number;
  readonly candidate: S;
  /** `fails`: it still shows the failure; `passes`: it does not; `error`: the attempt itself broke. */
  readonly outcome: "fails" | "passes" | "error";
  /** The error's message, for `error`. */
  readonly error?: string;
  /** Whether the candidate became the new smallest failing value. */
  readonly kept: boolean;
}

/**
 * The outcome of {@link shrinkSearch}: `minimal` when no candidate of the smallest value still fails (a local
 * minimum), `budget-exhausted` when attempts ran out with candidates left untried.
 */
export interface ShrinkResult<S, E> {
  readonly outcome: "minimal" | "budget-exhausted";
  /** The smallest value that still failed (the initial one when nothing smaller did). */
  readonly smallest: S;
  /** The evidence returned with `smallest`'s failing attempt; `undefined` for the initial value. */
  readonly evidence: E | undefined;
  readonly attempts: number;
  readonly trail: readonly ShrinkAttempt<S>[];
}

/** Options of {@link shrinkSearch}. */
export interface ShrinkSearchOptions<S> {
  /** How many candidates may be tried at most. Default 30. */
  readonly budget: number;
  /** Identifies equal candidates, so none is tried twice. Default: `JSON.stringify`. */
  readonly key: (value: S) => string;
}

/**
 * Greedy shrinking with an injected, asynchronous test: from `initial` (known to fail), try the candidates of
 * the current smallest value in order; the first that still fails becomes the new smallest and its own
 * candidates are tried next; stop when none fails or when `budget` attempts are spent. A candidate already tried
 * (by `key`) is skipped without spending budget; an attempt that throws counts, is recorded as `error`, and is
 * not kept (a broken attempt proves nothing). Returns the smallest failing value and the trail of attempts.
 *
 * @example
 * const result = await shrinkSearch(schedule, (s) => shrinkCandidates(s), async (s) => (await runWith(s)).lostWrites > 0, { budget: 20 });
 */
export async function shrinkSearch<S, E = unknown>(
  initial: S,
  candidates: (value: S) => Iterable<S>,
  stillFails: (candidate: S, attempt: number) => Promise<StillFailsVerdict<E>>,
  options: Partial<ShrinkSearchOptions<S>> = {},
): Promise<ShrinkResult<S, E>> {
  const budget = options.budget ?? 30;
  if (!Number.isSafeInteger(budget) || budget < 0) {
    throw new InputError("BAD_SHRINK_BUDGET", `the shrink budget must be a whole number ≥ 0, got ${budget}`, {
      details: { budget },
    });
  }
  const key = options.key ?? ((v: S) => JSON.stringify(v));
  const tried = new Set<string>([key(initial)]);
  const trail: ShrinkAttempt<S>[] = [];
  let smallest = initial;
  let evidence: E | undefined;
  const result = (outcome: ShrinkResult<S, E>["outcome"]): ShrinkResult<S, E> => ({
    outcome,
    smallest,
    evidence,
    attempts: trail.length,
    trail,
  });
  for (;;) {
    let improved = false;
    for (const candidate of candidates(smallest)) {
      const k = key(candidate);
      if (tried.has(k)) continue;
      if (trail.length >= budget) return result("budget-exhausted");
      tried.add(k);
      const attempt = trail.length + 1;
      let verdict: { fails: boolean; evidence?: E };
      try {
        const v = await stillFails(candidate, attempt);
        verdict = typeof v === "boolean" ? { fails: v } : v;
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        trail.push({ attempt, candidate, outcome: "error", error, kept: false });
        continue;
      }
      trail.push({ attempt, candidate, outcome: verdict.fails ? "fails" : "passes", kept: verdict.fails });
      if (verdict.fails) {
        smallest = candidate;
        evidence = verdict.evidence;
        improved = true;
        break;
      }
    }
    if (!improved) return result("minimal");
  }
}
