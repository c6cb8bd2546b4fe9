import { basename, join } from "node:path";
import type { History } from "../../checkers/history/index.js";
import type { Validity } from "../../checkers/core/index.js";
import { buildReportData, renderReportHtml, type ReportData } from "../report/index.js";
import { writeJsonFile, writeTextFile } from "../run-store/index.js";
import { junitXml, type JunitRun } from "./junit-xml.js";
import { RESULTS_SCHEMA_VERSION } from "./results-schema.js";

/** The files of a run directory that {@link writeRunArtifacts} writes. */
export interface RunArtifactPaths {
  results: string;
  report: string;
  junit: string;
}

/** What {@link writeRunArtifacts} needs. */
export interface RunArtifactsInput {
  /** The run directory. */
  runDir: string;
  history: History;
  /** The content of `results.json` (its `valid` and `results` drive the report and the JUnit file). */
  results: Record<string, unknown>;
  /** The run's `config.json` record, when there is one (title, settings, seed, concurrency). */
  config?: Record<string, unknown>;
  /** Write `results.json` too (default true; `faultline check` writes it itself). */
  writeResults?: boolean;
}

/** A run's title in reports: `<test-name> (<nemesis>)`, or the directory's name. */
export function runTitle(runDir: string, config: Record<string, unknown> | undefined): string {
  const name = typeof config?.testName === "string" ? config.testName : basename(runDir);
  const nemesis = config?.nemesis;
  return typeof nemesis === "string" && !name.includes(nemesis) ? `${name} (${nemesis})` : name;
}

/** The JUnit suite of one run, from its report data (the stories become each failure's context). */
export function junitRunOf(
  data: ReportData,
  results: Record<string, unknown>,
  config?: Record<string, unknown>,
): JunitRun {
  const context: Record<string, string[]> = {};
  for (const s of data.stories) (context[s.checker] ??= []).push(`- ${s.summary}`);
  const runId = typeof results.runId === "string" ? results.runId : undefined;
  const run = (config?.run ?? {}) as Record<string, unknown>;
  return {
    name: data.testName ?? basename(data.runDir),
    results: (results.results ?? {}) as Record<string, unknown>,
    seconds: Math.max(0, data.endMs) / 1000,
    ...(typeof run.startedAt === "string" ? { timestamp: run.startedAt } : {}),
    properties: {
      seed: data.seed,
      runId,
      runDir: data.runDir,
      replay: `faultline run --config ${data.runDir}`,
      ...(results.interrupted === true ? { interrupted: "true" } : {}),
    },
    context,
  };
}

/**
 * Writes a run's CI and human outputs: `results.json` (stamped with the schema version), `report.html` and
 * `junit.xml`, each atomically (write, then rename). `faultline run` calls it once the history is checked, and
 * `faultline check <run-dir>` after re-checking.
 *
 * @example
 * writeRunArtifacts({ runDir: dir.path, history, results: { ...verdict, seed, runId }, config });
 */
export function writeRunArtifacts(o: RunArtifactsInput): RunArtifactPaths {
  const paths: RunArtifactPaths = {
    results: join(o.runDir, "results.json"),
    report: join(o.runDir, "report.html"),
    junit: join(o.runDir, "junit.xml"),
  };
  const results: Record<string, unknown> = { schemaVersion: RESULTS_SCHEMA_VERSION, ...o.results };
  if (o.writeResults ?? true) writeJsonFile(paths.results, results);
  const seed = typeof results.seed === "number" ? results.seed : Number(o.config?.seed ?? 0);
  const data = buildReportData({
    history: o.history,
    results: (results.results ?? {}) as Record<string, unknown>,
    valid: results.valid as Validity,
    title: runTitle(o.runDir, o.config),
    runDir: o.runDir,
    seed,
    ...(o.config ? { config: o.config } : {}),
  });
  writeTextFile(paths.report, renderReportHtml(data));
  writeTextFile(paths.junit, junitXml("faultline", [junitRunOf(data, results, o.config)]));
  return paths;
}
