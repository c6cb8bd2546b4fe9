import { dirname, basename, join } from "node:path";
import type { CheckResult, ComposedResult, Validity } from "../../checkers/core/index.js";
import { worst } from "../../checkers/core/index.js";
import type { History } from "../../checkers/history/index.js";
import { writeTextFile } from "../../core/run-store/index.js";
import { boundLists, type SpilledList } from "./bounded-lists.js";
import { runCompleteness, type RunCompleteness, type RunOutcome } from "./completeness.js";
import { RESULTS_SCHEMA_VERSION } from "./results-schema.js";
import {
  failoverExplanations,
  writeAvailability,
  type FailoverExplanation,
  type WriteAvailability,
} from "../report/index.js";
import type { FaultAccount } from "../../nemesis/execute/index.js";

/** What the history file held. */
export interface HistoryInfo {
  /** Entries read. */
  ops: number;
  /** Invokes that never completed (counted as `info`). */
  incomplete: number;
  /** A last line cut short by a crashed writer, skipped. */
  truncatedLine?: number;
  /** The file checked (written by `faultline check`). */
  path?: string;
}

/** A checker `faultline check` ran, with its resolved options. */
export interface CheckerRecord {
  label: string;
  name: string;
  options: Record<string, unknown>;
}

/** What only the run knew of itself; `faultline check` keeps these fields of an older `results.json`. */
export interface RunFields extends RunOutcome {
  seed?: number;
  runId?: string;
  /** What went wrong tearing the cluster down, when something did (the verdict still stands). */
  teardownError?: string;
}

/**
 * A run's `results.json`, typed (its schema: `RunResultsSchema`, documented in `RESULTS.md`). The one shape both
 * `faultline run` and `faultline check` write.
 */
export interface RunResultsDocument extends RunFields {
  schemaVersion: typeof RESULTS_SCHEMA_VERSION;
  /** The run's verdict: the worst of the checkers', and at best `unknown` for an incomplete run. */
  valid: Validity;
  /** Each checker's result by label, its lists bounded in the file (see `lists`). */
  results: Record<string, CheckResult>;
  history: HistoryInfo;
  /** Whether the run is complete, and what is missing. */
  completeness: RunCompleteness;
  /** The checkers `faultline check` ran. */
  checkers?: CheckerRecord[];
  /** Each failover the monitor explained (`failover-evidence` ops), one line each; absent when none. */
  failovers?: FailoverExplanation[];
  /**
   * How available writes were (store-neutral, from the history): client writes tried and how they ended, and the
   * stretches with no acknowledged write while writes were tried and not acknowledged. Absent when no write was
   * tried.
   */
  writeAvailability?: WriteAvailability;
  /**
   * Per checker label, each list cut in `results.json` (by its path in the result: `lost`,
   * `anomalies.0.elements`): its full length and the file that has it all.
   */
  lists?: Record<string, Record<string, SpilledList>>;
}

/** What {@link runResults} needs. */
export interface RunResultsInput extends RunFields {
  /** The checkers' composed verdict. */
  composed: ComposedResult;
  /** The history they judged (for its completeness). */
  history: History;
  historyInfo: HistoryInfo;
  checkers?: CheckerRecord[];
}

/**
 * A run's results document: the checkers' verdict, worsened to `unknown` when the run is incomplete (it never
 * passes), with the run's own fields. Lists are whole here; {@link writeRunResults} bounds them in the file.
 *
 * @example
 * const doc = runResults({ composed, history, historyInfo: { ops: history.length, incomplete: 0 }, seed: 42 });
 * doc.completeness.missing; // [] for a run with its final phase
 */
export function runResults(o: RunResultsInput): RunResultsDocument {
  const completeness = runCompleteness(o.history, {
    ...(o.interrupted !== undefined ? { interrupted: o.interrupted } : {}),
    ...(o.final !== undefined ? { final: o.final } : {}),
    ...(o.faults !== undefined ? { faults: o.faults } : {}),
    ...(o.requireFaults !== undefined ? { requireFaults: o.requireFaults } : {}),
  });
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    valid: worst(o.composed.valid, completeness.complete ? true : "unknown"),
    results: o.composed.results,
    history: o.historyInfo,
    completeness,
    ...(o.seed !== undefined ? { seed: o.seed } : {}),
    ...(o.runId !== undefined ? { runId: o.runId } : {}),
    ...(o.interrupted !== undefined ? { interrupted: o.interrupted } : {}),
    ...(o.final !== undefined ? { final: o.final } : {}),
    ...(o.teardownError !== undefined ? { teardownError: o.teardownError } : {}),
    ...(o.faults !== undefined ? { faults: o.faults } : {}),
    ...(o.requireFaults === true ? { requireFaults: true } : {}),
    ...(o.checkers ? { checkers: o.checkers } : {}),
    ...failoversOf(o.history),
    ...availabilityOf(o.history),
  };
}

/** `writeAvailability` for the document, left out when no client write was tried. */
function availabilityOf(history: History): { writeAvailability?: WriteAvailability } {
  const a = writeAvailability(history);
  return a.attempted > 0 ? { writeAvailability: a } : {};
}

/** `failovers` for the document, left out when the history explains none. */
function failoversOf(history: History): { failovers?: FailoverExplanation[] } {
  const failovers = failoverExplanations(history);
  return failovers.length > 0 ? { failovers } : {};
}

/** The run's own fields of an older `results.json` (what `faultline check` keeps when it rewrites the file). */
export function runFieldsOf(previous: Record<string, unknown> | undefined): RunFields {
  if (!previous) return {};
  const out: RunFields = {};
  if (typeof previous.seed === "number") out.seed = previous.seed;
  if (typeof previous.runId === "string") out.runId = previous.runId;
  if (typeof previous.interrupted === "boolean") out.interrupted = previous.interrupted;
  if (typeof previous.teardownError === "string") out.teardownError = previous.teardownError;
  if (previous.requireFaults === true) out.requireFaults = true;
  const faults = faultAccountOf(previous.faults);
  if (faults) out.faults = faults;
  const f = previous.final;
  if (f === null) out.final = null;
  else if (
    typeof f === "object" &&
    f !== null &&
    typeof (f as { readsDone?: unknown }).readsDone === "boolean"
  ) {
    const final = f as { leader?: unknown; readsDone: boolean; error?: unknown };
    out.final = {
      readsDone: final.readsDone,
      ...(typeof final.leader === "string" ? { leader: final.leader } : {}),
      ...(typeof final.error === "string" ? { error: final.error } : {}),
    };
  }
  return out;
}

/**
 * The document as `results.json` holds it: every list longer than `max` cut to its first items, each streamed
 * whole to `<name>.lists/<label>.<path>.jsonl` beside the file (so a history with a million lost writes still
 * gets a small `results.json`, with every count complete). Without `path` (stdout) lists are only cut.
 */
export function boundedResults(
  doc: RunResultsDocument,
  path: string | undefined,
  max?: number,
): RunResultsDocument {
  const stem = path === undefined ? undefined : basename(path).replace(/\.json$/, "");
  const spill =
    path === undefined ? undefined : { dir: join(dirname(path), `${stem}.lists`), relative: `${stem}.lists` };
  const results: Record<string, CheckResult> = {};
  const lists: Record<string, Record<string, SpilledList>> = {};
  for (const [label, result] of Object.entries(doc.results)) {
    const spilled: Record<string, SpilledList> = {};
    results[label] = boundLists(result, [label], spilled, {
      ...(max !== undefined ? { max } : {}),
      ...(spill ? { spill } : {}),
    }) as CheckResult;
    if (Object.keys(spilled).length > 0) lists[label] = spilled;
  }
  const { lists: _old, ...rest } = doc;
  void _old;
  return { ...rest, results, ...(Object.keys(lists).length > 0 ? { lists } : {}) };
}

/**
 * Writes `results.json` (atomically) with bounded lists; returns what it wrote.
 *
 * @example
 * writeRunResults(join(runDir, "results.json"), runResults({ composed, history, historyInfo }));
 */
export function writeRunResults(path: string, doc: RunResultsDocument, max?: number): RunResultsDocument {
  const bounded = boundedResults(doc, path, max);
  writeTextFile(path, `${JSON.stringify(bounded, null, 2)}\n`);
  return bounded;
}

/** A `faults` account read back from an older `results.json`, when it has the shape the run wrote. */
function faultAccountOf(v: unknown): FaultAccount | undefined {
  if (typeof v !== "object" || v === null) return undefined;
  const a = v as Record<string, unknown>;
  const counts = ["scheduled", "applied", "failed", "skipped"] as const;
  if (!counts.every((k) => Number.isSafeInteger(a[k])) || !Array.isArray(a.failures)) return undefined;
  const failures = a.failures.filter(
    (f): f is FaultAccount["failures"][number] =>
      typeof f === "object" &&
      f !== null &&
      typeof (f as { fault?: unknown }).fault === "string" &&
      typeof (f as { time?: unknown }).time === "number" &&
      typeof (f as { error?: unknown }).error === "string",
  );
  return {
    scheduled: a.scheduled as number,
    applied: a.applied as number,
    failed: a.failed as number,
    skipped: a.skipped as number,
    failures: failures.map((f) => ({ fault: f.fault, time: f.time, error: f.error })),
  };
}
