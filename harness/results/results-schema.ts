import { z } from "zod";

/**
 * The schema of a run's `results.json` (documented in `RESULTS.md`). The common contract — the verdict, each
 * checker's tagged result, the history's size — is strict about types; each checker's own fields are checked
 * for the checkers faultline ships (by the checker's name, the label without a `#2` suffix) and passed through
 * otherwise, so a newer checker never breaks an older reader. Version 1.
 */
export const RESULTS_SCHEMA_VERSION = 1;

const int = z.int().nonnegative();
const ns = z.number().nonnegative();

/** `true`, `false` or `"unknown"` (DESIGN.md: worst wins). */
export const ValiditySchema = z.union([z.literal(true), z.literal(false), z.literal("unknown")], {
  error: 'must be true, false or "unknown"',
});

/** One anomaly: a kind, a plain-language explanation, the history indices of the ops involved. */
export const AnomalySchema = z.looseObject({
  kind: z.string().min(1),
  explanation: z.string(),
  ops: z.array(int).optional(),
});

/** A checker's result: a union tagged by `valid`. */
export const CheckerResultSchema = z.union([
  z.looseObject({ valid: z.literal(true) }),
  z.looseObject({ valid: z.literal(false), anomalies: z.array(AnomalySchema) }),
  z.looseObject({ valid: z.literal("unknown"), reason: z.string() }),
]);

const Counts = z.record(z.string(), z.looseObject({ ok: int, fail: int, info: int }));
const Quantiles = z.looseObject({
  count: int,
  min: z.number().nullable(),
  p50: z.number().nullable(),
  p90: z.number().nullable(),
  p99: z.number().nullable(),
  max: z.number().nullable(),
});
const At = z.looseObject({ op: int, time: ns });

/** Each shipped checker's own fields (checked when it reached a verdict, i.e. `valid` is not `"unknown"`). */
export const CHECKER_DETAIL_SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  set: z.looseObject({
    counts: Counts,
    finalRead: z
      .looseObject({ op: int, completedAt: int, time: ns, size: int, node: z.string().optional() })
      .nullable(),
    attemptCount: int,
    acknowledgedCount: int,
    okCount: int,
    lost: z.array(z.looseObject({ element: z.unknown(), op: int, ackedAt: int, ackedTime: ns })),
    lostCount: int,
    unexpectedCount: int,
    recoveredCount: int,
    failedButPresentCount: int,
    concurrentCount: int,
    duplicatedCount: int,
  }),
  "set-full": z.looseObject({
    counts: Counts,
    readCount: int,
    attemptCount: int,
    stableCount: int,
    lostCount: int,
    neverReadCount: int,
    staleCount: int,
    lost: z.array(
      z.looseObject({
        element: z.unknown(),
        outcome: z.literal("lost"),
        known: At.nullable(),
        firstMissing: At,
        missingReads: int,
      }),
    ),
    visibilityLatencyMs: Quantiles,
    stableLatencyMs: Quantiles,
  }),
  counter: z.looseObject({
    counts: Counts,
    readCount: int,
    keyCount: int,
    errors: z.array(z.unknown()),
    errorCount: int,
  }),
  stats: z.looseObject({
    count: int,
    okCount: int,
    failCount: int,
    infoCount: int,
    byF: z.record(z.string(), z.unknown()),
  }),
  staleness: z.looseObject({
    counts: Counts,
    keyCount: int,
    sessionCount: int,
    overall: z.looseObject({
      reads: int,
      staleReads: int,
      versionsBehind: Quantiles,
      stalenessMs: Quantiles,
    }),
    byNode: z.record(z.string(), z.unknown()),
    violations: z.array(z.looseObject({ kind: z.string(), key: z.string(), op: int })),
  }),
  "split-brain": z.looseObject({
    counts: Counts,
    ackCount: int,
    nodes: z.array(z.string()),
    leaderReports: z.array(z.unknown()),
    episodes: z.array(
      z.looseObject({ pattern: z.string(), node: z.string(), otherNode: z.string(), ops: z.array(int) }),
    ),
  }),
  linearizable: z.looseObject({
    model: z.string(),
    ops: int,
    keyCount: int,
    keys: z.array(z.looseObject({ key: z.string(), valid: ValiditySchema, ops: int })),
    counterexample: z
      .looseObject({
        key: z.string(),
        initialState: z.string(),
        prefix: z
          .array(z.looseObject({ op: z.looseObject({ index: int }), stateAfter: z.string() }))
          .nullable(),
        op: z.looseObject({ index: int, process: z.int(), description: z.string() }),
        stateBefore: z.string().nullable(),
      })
      .optional(),
  }),
  "list-append": z.looseObject({
    anomalyTypes: z.array(z.string()),
    counts: z.record(z.string(), int),
    rulesOut: z.array(z.string()),
    txns: z.looseObject({ ok: int, fail: int, info: int }),
    incomplete: z.array(z.string()),
  }),
};

/**
 * A run's `results.json`: written by `faultline run` (with `seed`, `runId`, `interrupted`, `final`) and rewritten by
 * `faultline check` (with `checkers`, and `history.path`), which keeps the run's fields; both through one writer
 * (`runResults`, `writeRunResults`: lists bounded, `completeness` always written).
 */
export const RunResultsSchema = z
  .looseObject({
    /** This schema's version. */
    schemaVersion: z.literal(RESULTS_SCHEMA_VERSION).optional(),
    /** The composed verdict: the worst of the checkers'. */
    valid: ValiditySchema,
    /** Each checker's result, by label (`set`, `linearizable`, `set#2` for a second instance). */
    results: z.record(z.string(), CheckerResultSchema),
    /** What the history held. */
    history: z.looseObject({
      ops: int,
      incomplete: int,
      truncatedLine: z.int().positive().optional(),
      path: z.string().optional(),
      /** How its ops were read: `jepsen` (an EDN history, or --semantics jepsen) or `faultline`. */
      semantics: z.enum(["jepsen", "faultline"]).optional(),
    }),
    seed: z.int().nonnegative().optional(),
    runId: z.string().optional(),
    /** True when the run was stopped (Ctrl-C) before its end; its verdict covers what was recorded. */
    interrupted: z.boolean().optional(),
    teardownError: z.string().optional(),
    /** How the final phase went: the leader it recovered with, whether the final reads succeeded, why not. */
    final: z
      .looseObject({ leader: z.string().optional(), readsDone: z.boolean(), error: z.string().optional() })
      .nullable()
      .optional(),
    /**
     * What became of each scheduled fault: applied, failed to apply (each failure named, with its time in ns and
     * its error) or skipped; the counts add up to `scheduled`.
     */
    faults: z
      .looseObject({
        scheduled: int,
        applied: int,
        failed: int,
        skipped: int,
        failures: z.array(z.looseObject({ fault: z.string(), time: ns, error: z.string() })),
      })
      .optional(),
    /** The run required every scheduled fault (`--require-faults`): one that did not run makes it incomplete. */
    requireFaults: z.boolean().optional(),
    /** Whether the run is complete (every phase its verdict needs recorded), and what is missing. */
    completeness: z
      .looseObject({
        complete: z.boolean(),
        finalPhase: z.enum(["recorded", "missing", "unmarked"]),
        missing: z.array(z.string()),
      })
      .optional(),
    /** Per checker label, each list cut in this file: its full length and the JSON Lines file with all of it. */
    lists: z
      .record(
        z.string(),
        z.record(z.string(), z.looseObject({ count: int, shown: int, file: z.string().optional() })),
      )
      .optional(),
    /** Each failover the monitor explained: when, who declared which leader down, why (one line). */
    failovers: z
      .array(
        z.looseObject({
          atMs: z.number(),
          term: z.int().nullable(),
          manager: z.string(),
          leader: z.string(),
          cause: z.string(),
          unscheduled: z.boolean(),
          explanation: z.string(),
        }),
      )
      .optional(),
    /** Client writes tried and how they ended; the stretches with none acknowledged while some were tried. */
    writeAvailability: z
      .looseObject({
        attempted: int,
        acknowledged: int,
        failed: int,
        unknown: int,
        longestMs: z.number().nonnegative(),
        totalMs: z.number().nonnegative(),
        stretchCount: int,
        stretches: z.array(
          z.looseObject({
            fromMs: z.number(),
            toMs: z.number(),
            lengthMs: z.number().nonnegative(),
            failed: int,
            unknown: int,
          }),
        ),
      })
      .optional(),
    /** The checkers `faultline check` ran, with their resolved options. */
    checkers: z
      .array(
        z.looseObject({ label: z.string(), name: z.string(), options: z.record(z.string(), z.unknown()) }),
      )
      .optional(),
  })
  .superRefine((r, ctx) => {
    let worst: "ok" | "unknown" | "bad" = "ok";
    for (const [label, result] of Object.entries(r.results)) {
      if (result.valid === false) worst = "bad";
      else if (result.valid === "unknown" && worst === "ok") worst = "unknown";
      const detail = CHECKER_DETAIL_SCHEMAS[label.replace(/#\d+$/, "")];
      if (!detail || result.valid === "unknown") continue;
      const parsed = detail.safeParse(result);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          ctx.addIssue({ code: "custom", path: ["results", label, ...issue.path], message: issue.message });
        }
      }
    }
    // An incomplete run is never valid: at best unknown.
    const incomplete = r.completeness !== undefined && !r.completeness.complete;
    if (incomplete && worst === "ok") worst = "unknown";
    const expected = worst === "bad" ? false : worst === "unknown" ? "unknown" : true;
    if ((Object.keys(r.results).length > 0 || r.completeness) && r.valid !== expected) {
      ctx.addIssue({
        code: "custom",
        path: ["valid"],
        message: `must be the worst of the checkers' verdicts${incomplete ? ", and unknown at best for an incomplete run" : ""} (${JSON.stringify(expected)})`,
      });
    }
    const f = r.faults;
    if (f && f.applied + f.failed + f.skipped !== f.scheduled) {
      ctx.addIssue({
        code: "custom",
        path: ["faults", "scheduled"],
        message: `must be applied + failed + skipped (${f.applied + f.failed + f.skipped}), got ${f.scheduled}`,
      });
    }
    if (f && f.failures.length !== f.failed) {
      ctx.addIssue({
        code: "custom",
        path: ["faults", "failures"],
        message: `must list each failed fault (${f.failed}), got ${f.failures.length}`,
      });
    }
    if (r.completeness && r.completeness.complete !== (r.completeness.missing.length === 0)) {
      ctx.addIssue({
        code: "custom",
        path: ["completeness", "complete"],
        message: "must be true exactly when nothing is missing",
      });
    }
  });

/** A parsed `results.json`. */
export type RunResults = z.infer<typeof RunResultsSchema>;

/**
 * Validates a parsed `results.json`; returns the problems, each naming its field (empty when valid).
 *
 * @example
 * validateRunResults(JSON.parse(readFileSync("store/latest/results.json", "utf8"))); // []
 */
export function validateRunResults(data: unknown): string[] {
  const r = RunResultsSchema.safeParse(data);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".") || "(top)"}: ${i.message}`);
}

/** The schema as JSON Schema (draft 2020-12), for tools outside TypeScript. */
export function resultsJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(RunResultsSchema, { unrepresentable: "any" }) as Record<string, unknown>;
}
