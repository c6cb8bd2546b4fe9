import { basename, join } from "node:path";
import type { ComposedResult } from "../../checkers/core/index.js";
import type { History } from "../../checkers/history/index.js";
import { buildReportData, renderReportHtml, type ReportData } from "../report/index.js";
import { writeTextFile } from "../../core/run-store/index.js";
import { junitXml, type JunitRun } from "./junit-xml.js";
import {
  runResults,
  writeRunResults,
  type CheckerRecord,
  type HistoryInfo,
  type RunFields,
  type RunResultsDocument,
} from "./run-results.js";

/** The files of a run directory that {@link writeRunArtifacts} writes. */
export interface RunArtifactPaths {
  results: string;
  report: string;
  junit: string;
}

/** The checkers' verdict on a run and what the run knew of itself: what `results.json` is made of. */
export type RunVerdictFields = ComposedResult & { history: HistoryInfo } & RunFields & {
    checkers?: CheckerRecord[];
  };

/** What {@link writeRunArtifacts} needs. */
export interface RunArtifactsInput {
  /** The run directory. */
  runDir: string;
  history: History;
  /** The verdict (`checkRunHistory`'s, or `faultline check`'s) and the run's own fields (seed, run id, final…). */
  results: RunVerdictFields;
  /** The run's `config.json` record, when there is one (title, settings, seed, concurrency). */
  config?: Record<string, unknown>;
}

/** A run's title in reports: `<test-name> (<nemesis>)`, or the directory's name. */
export function runTitle(runDir: string, config: Record<string, unknown> | undefined): string {
  const name = typeof config?.testName === "string" ? config.testName : basename(runDir);
  const nemesis = nemesisWords(config);
  return nemesis !== undefined && !name.includes(nemesis) ? `${name} (${nemesis})` : name;
}

/**
 * The run's faults in a few words: its `--nemesis` choice, or for a run given a schedule (`--schedule`, nemesis
 * `none` with windows) "schedule of N faults" rather than a misleading "none".
 *
 * @example
 * nemesisWords({ nemesis: "none", schedule: { windows: [{ … }] } }); // "schedule of 1 fault"
 */
export function nemesisWords(
  config: Readonly<{ nemesis?: unknown; schedule?: unknown }> | undefined,
): string | undefined {
  const nemesis = config?.nemesis;
  if (typeof nemesis !== "string") return undefined;
  const windows = (config?.schedule as { windows?: unknown } | undefined)?.windows;
  if (nemesis === "none" && Array.isArray(windows) && windows.length > 0)
    return `schedule of ${windows.length} ${windows.length === 1 ? "fault" : "faults"}`;
  return nemesis;
}

/** The JUnit suite of one run, from its report data (the stories become each failure's context). */
export function junitRunOf(
  data: ReportData,
  doc: Pick<RunResultsDocument, "results" | "runId" | "interrupted" | "completeness">,
  config?: Record<string, unknown>,
): JunitRun {
  const context: Record<string, string[]> = {};
  for (const s of data.stories) (context[s.checker] ??= []).push(`- ${s.summary}`);
  const run = (config?.run ?? {}) as Record<string, unknown>;
  const missing = doc.completeness.missing;
  return {
    name: data.testName ?? basename(data.runDir),
    results: doc.results,
    seconds: Math.max(0, data.endMs) / 1000,
    ...(typeof run.startedAt === "string" ? { timestamp: run.startedAt } : {}),
    properties: {
      seed: data.seed,
      runId: doc.runId,
      runDir: data.runDir,
      replay: `faultline run --config ${data.runDir}`,
      ...(doc.interrupted === true ? { interrupted: "true" } : {}),
      ...(missing.length > 0 ? { incomplete: missing.join("; ") } : {}),
    },
    ...(missing.length > 0 ? { incomplete: missing } : {}),
    context,
  };
}

/**
 * Writes a run's CI and human outputs — `results.json` (the one writer: `runResults`, lists bounded, full lists
 * streamed beside it), `report.html` and `junit.xml`, each atomically (write, then rename) — and returns their
 * paths and the document written. `faultline run` calls it once the history is checked, and
 * `faultline check <run-dir>` after re-checking.
 *
 * @example
 * writeRunArtifacts({ runDir: dir.path, history, results: { ...verdict, seed, runId, interrupted, final }, config });
 */
export function writeRunArtifacts(o: RunArtifactsInput): RunArtifactPaths & { document: RunResultsDocument } {
  const paths: RunArtifactPaths = {
    results: join(o.runDir, "results.json"),
    report: join(o.runDir, "report.html"),
    junit: join(o.runDir, "junit.xml"),
  };
  const { valid, results, history, checkers, ...run } = o.results;
  const doc = runResults({
    ...run,
    composed: { valid, results },
    history: o.history,
    historyInfo: history,
    ...(checkers ? { checkers } : {}),
  });
  const document = writeRunResults(paths.results, doc);
  const seed = doc.seed ?? Number(o.config?.seed ?? 0);
  // The report reads the whole results (it shows examples and counts, never every item).
  const data = buildReportData({
    history: o.history,
    results: doc.results,
    valid: doc.valid,
    title: runTitle(o.runDir, o.config),
    runDir: o.runDir,
    seed,
    missing: doc.completeness.missing,
    // The nemesis's account of its faults, when the run recorded one (`faults`).
    faults: (document as { faults?: unknown }).faults,
    ...(o.config ? { config: o.config } : {}),
  });
  writeTextFile(paths.report, renderReportHtml(data));
  writeTextFile(paths.junit, junitXml("faultline", [junitRunOf(data, doc, o.config)]));
  return { ...paths, document };
}
