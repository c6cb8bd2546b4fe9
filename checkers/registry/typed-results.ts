import type { CheckResult } from "../core/result.js";
import type { CounterResult } from "../counter/index.js";
import type { LinearizableResult } from "../linearizable/index.js";
import type { ListAppendResult } from "../list-append/index.js";
import type { SetFullResult } from "../set-full/index.js";
import type { SetResult } from "../set/index.js";
import type { SplitBrainResult } from "../split-brain/index.js";
import type { StalenessResult } from "../staleness/index.js";
import type { StatsResult } from "../stats/index.js";

/** Each shipped checker's result type, by the checker's registered name. */
export interface CheckerResults {
  set: SetResult;
  "set-full": SetFullResult;
  counter: CounterResult;
  stats: StatsResult;
  staleness: StalenessResult;
  "split-brain": SplitBrainResult;
  linearizable: LinearizableResult;
  "list-append": ListAppendResult;
}

/**
 * One checker's result with its own type, tagged by the checker's name (so readers switch on `checker`, never
 * guess a result's kind from its fields). A checker faultline does not ship (a newer one, a user's), and a checker
 * that threw (`safeCheck`'s `unknown` with `error`: it has none of its own fields), is
 * `{ checker: undefined, name, result: CheckResult }`.
 */
export type TypedResult =
  | {
      [N in keyof CheckerResults]: { checker: N; name: N; label: string; result: CheckerResults[N] };
    }[keyof CheckerResults]
  | { checker: undefined; name: string; label: string; result: CheckResult };

const SHIPPED: ReadonlySet<string> = new Set<keyof CheckerResults>([
  "set",
  "set-full",
  "counter",
  "stats",
  "staleness",
  "split-brain",
  "linearizable",
  "list-append",
]);

/** The checker's name of a result label: `set#2` → `set`. */
export function checkerNameOf(label: string): string {
  return label.replace(/#\d+$/, "");
}

/**
 * Types each result of a composed verdict by its checker's name (`names` maps a label to the checker that made
 * it, as `results.json`'s `checkers` list does; otherwise the label names it: `set`, `set#2`).
 *
 * @example
 * for (const t of typedResults(verdict.results)) if (t.checker === "set" && t.result.valid === false) t.result.lostCount;
 */
export function typedResults(
  results: Readonly<Record<string, CheckResult>>,
  names: Readonly<Record<string, string>> = {},
): TypedResult[] {
  return Object.entries(results).map(([label, result]) => {
    const name = names[label] ?? checkerNameOf(label);
    return (
      SHIPPED.has(name) && !threw(result)
        ? { checker: name, name, label, result }
        : { checker: undefined, name, label, result }
    ) as TypedResult;
  });
}

/** True for `safeCheck`'s result of a checker that threw (the common contract's `error`, RESULTS.md). */
function threw(r: CheckResult): boolean {
  return r.valid === "unknown" && typeof r.error === "string";
}

/** The first result of checker `name` (its own type), or undefined. */
export function resultOf<N extends keyof CheckerResults>(
  typed: readonly TypedResult[],
  name: N,
): { label: string; result: CheckerResults[N] } | undefined {
  const t = typed.find((x) => x.checker === name);
  return t ? { label: t.label, result: t.result as CheckerResults[N] } : undefined;
}
