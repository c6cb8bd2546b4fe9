import type { BudgetOptions } from "../core/budget.js";
import { requireComplete } from "../core/completeness.js";
import type { CheckerDefinition } from "../core/definition.js";
import { budgetOptionSpecs } from "../core/definition.js";
import { OutOfBudget, startBudget } from "../core/budget.js";
import { countOutcomes } from "../core/outcome-counts.js";
import { recordOf } from "../core/records.js";
import type { Anomaly, CheckResult } from "../core/result.js";
import type { History } from "../history/op.js";
import { pairOps } from "../history/pair-ops.js";

/** Options of {@link checkStats}. */
export interface StatsOptions extends BudgetOptions {
  /** Invalid when some `f` never succeeded, as Jepsen's stats checker (default true). */
  requireOk?: boolean;
  /** `f`s exempt from `requireOk` (e.g. a `cas` that may legitimately never succeed). */
  exemptFs?: string[];
}

/** Counts of one `f` (or of all client ops). `info` includes invokes that never completed. */
export interface StatsCount {
  count: number;
  okCount: number;
  failCount: number;
  infoCount: number;
}

/** What {@link checkStats} reports besides the verdict. */
export interface StatsDetails extends StatsCount {
  byF: Record<string, StatsCount>;
}

/** The result of {@link checkStats}. */
export type StatsResult = CheckResult<StatsDetails>;

/**
 * Jepsen's stats checker: ok / fail / info counts of client ops, overall and per `f` (nemesis and monitor ops are
 * left out). Invalid, when `requireOk` (the default), if some `f` not in `exemptFs` never completed `ok` — the
 * workload did nothing useful for it, so the other checkers' verdicts say little.
 *
 * @example
 * checkStats(history).byF.add; // { count: 120, okCount: 100, failCount: 12, infoCount: 8 }
 */
export function checkStats(history: History, options: StatsOptions = {}): StatsResult {
  const empty: StatsDetails = { count: 0, okCount: 0, failCount: 0, infoCount: 0, byF: {} };
  let counts: ReturnType<typeof countOutcomes>;
  try {
    const budget = startBudget(options, history.length);
    const paired = pairOps(history);
    budget.tick("pairing invokes with completions", history.length);
    counts = countOutcomes(paired);
    budget.tick("counting outcomes", paired.length);
  } catch (err) {
    if (err instanceof OutOfBudget) return { valid: "unknown", reason: err.reason, ...empty };
    throw err;
  }
  const details = empty;
  const entries: [string, StatsCount][] = [];
  for (const [f, c] of Object.entries(counts)) {
    const s = { count: c.ok + c.fail + c.info, okCount: c.ok, failCount: c.fail, infoCount: c.info };
    entries.push([f, s]);
    details.count += s.count;
    details.okCount += s.okCount;
    details.failCount += s.failCount;
    details.infoCount += s.infoCount;
  }
  details.byF = recordOf(entries);
  const exempt = new Set(options.exemptFs ?? []);
  const anomalies: Anomaly[] = [];
  if (options.requireOk ?? true) {
    for (const [f, s] of entries) {
      if (s.okCount > 0 || exempt.has(f)) continue;
      anomalies.push({
        kind: "never-ok",
        explanation: `no ${f} op succeeded: 0 of ${s.count} ok (${s.failCount} failed, ${s.infoCount} unknown)`,
        f,
      });
    }
  }
  return anomalies.length > 0
    ? { valid: false, anomalies, ...details }
    : requireComplete(history, { valid: true, ...details });
}

/** The `stats` checker as the registry lists it. */
export const statsChecker: CheckerDefinition<Omit<StatsOptions, "now">> = {
  name: "stats",
  description: "ok / fail / info counts per f; invalid if some f never succeeded (Jepsen's stats)",
  defaultOptions: { requireOk: true, exemptFs: [], timeLimitMs: null, maxOps: null },
  optionSpecs: {
    requireOk: { type: "boolean", description: "make an f that never succeeded invalid" },
    exemptFs: { type: "string[]", description: "fs exempt from requireOk" },
    ...budgetOptionSpecs,
  },
  check: (history, options, context) => checkStats(history, { ...options, now: context.now }),
};
