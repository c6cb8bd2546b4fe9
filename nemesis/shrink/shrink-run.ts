import {
  describeSchedule,
  shrinkCandidates,
  shrinkSearch,
  type Schedule,
  type ShrinkResult,
} from "../schedule/index.js";

/** What one shrink attempt found: the run it made and the anomaly kinds its checkers reported. */
export interface AttemptOutcome {
  readonly runDir: string;
  readonly kinds: readonly string[];
}

/** One line of progress: which attempt, what it tried, what came of it. */
export interface AttemptReport {
  readonly attempt: number;
  readonly budget: number;
  readonly candidate: Schedule;
  /** `fails`: the target anomalies again (kept); `passes`: not; `error`: the attempt broke. */
  readonly outcome: "fails" | "passes" | "error";
  readonly kinds: readonly string[];
  readonly runDir?: string;
  readonly error?: string;
  readonly ms: number;
}

/** Options of {@link shrinkRun}. */
export interface ShrinkRunOptions {
  /** The failing run's schedule. */
  readonly initial: Schedule;
  /** The anomaly kinds a candidate must show to count as the same failure (`set:lost`…). */
  readonly target: readonly string[];
  /** How many candidate runs at most. */
  readonly budget: number;
  /** Runs the test with a candidate schedule (a real run: cluster, workload, checkers). */
  readonly attempt: (schedule: Schedule, attempt: number) => Promise<AttemptOutcome>;
  /** Told after every attempt. */
  readonly onAttempt?: (report: AttemptReport) => void;
  /** The shortest run a candidate may have, in ms (default 1000). */
  readonly minTimeLimit?: number;
}

/**
 * Shrinks a failing run's schedule (issue 6 §7): runs smaller schedules from `shrinkCandidates` — fewer faults,
 * shorter faults, a shorter run, earlier faults — greedily through `shrinkSearch`, keeping each that still shows
 * every `target` anomaly kind, until none of the smallest one's candidates does or the budget is spent. The
 * evidence is the run directory of the smallest failing attempt (`undefined` when nothing smaller failed).
 *
 * @example
 * const result = await shrinkRun({ initial, target: ["set:lost"], budget: 10, attempt: runWithSchedule });
 * describeSchedule(result.smallest);
 */
export async function shrinkRun(o: ShrinkRunOptions): Promise<ShrinkResult<Schedule, string>> {
  const candidates = (s: Schedule): Schedule[] =>
    shrinkCandidates(s, { minTimeLimit: o.minTimeLimit ?? 1000 });
  return shrinkSearch<Schedule, string>(
    o.initial,
    candidates,
    async (candidate, attempt) => {
      const t0 = Date.now();
      let outcome: AttemptOutcome;
      try {
        outcome = await o.attempt(candidate, attempt);
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        o.onAttempt?.({
          attempt,
          budget: o.budget,
          candidate,
          outcome: "error",
          kinds: [],
          error,
          ms: Date.now() - t0,
        });
        throw err;
      }
      const fails = o.target.every((k) => outcome.kinds.includes(k));
      o.onAttempt?.({
        attempt,
        budget: o.budget,
        candidate,
        outcome: fails ? "fails" : "passes",
        kinds: outcome.kinds,
        runDir: outcome.runDir,
        ms: Date.now() - t0,
      });
      return { fails, evidence: outcome.runDir };
    },
    { budget: o.budget },
  );
}

/** One attempt in words: `attempt 3/10 (41s): 1 fault in a 12s run … → fails (set:lost), kept`. */
export function describeAttempt(r: AttemptReport): string {
  const what = describeSchedule(r.candidate).split("\n");
  const verdict =
    r.outcome === "error"
      ? `error: ${r.error ?? "?"}`
      : `${r.outcome}${r.kinds.length > 0 ? ` (${r.kinds.join(", ")})` : " (no anomaly)"}${r.outcome === "fails" ? ", kept" : ""}`;
  return [
    `attempt ${r.attempt}/${r.budget} (${Math.round(r.ms / 1000)}s): ${what[0]} → ${verdict}`,
    ...what.slice(1).map((l) => `    ${l}`),
  ].join("\n");
}
