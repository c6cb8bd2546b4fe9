import { appendFileSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { Validity } from "../../checkers/core/index.js";
import { readHistory } from "../../checkers/history/index.js";
import { workloadByName } from "../../workloads/index.js";
import { resolveRunConfig, type ResolvedRunConfig } from "../config/index.js";
import { ExitCode, InputError, isFaultlineError } from "../../core/errors/index.js";
import { junitXml, type JunitRun } from "../results/index.js";
import { exitCodeOf, runTest, type RunOutcome } from "../runner/index.js";
import { writeJsonFile, writeTextFile } from "../../core/run-store/index.js";
import type { Campaign } from "./campaign-schema.js";
import {
  createCampaignDirectory,
  openCampaignDirectory,
  type CampaignDirectory,
} from "./campaign-directory.js";
import { startCampaignProgress, type CampaignProgressSink } from "./campaign-progress.js";
import { campaignValidity, type CampaignCellResult, type CampaignResults } from "./campaign-results.js";
import { campaignAxes, cellConfig, expandMatrix, type CampaignCell } from "./expand-matrix.js";
import { renderCampaignReport } from "./render-campaign-report.js";
import { runMetrics } from "./run-metrics.js";
import { assignShards, seedFromHash, type Shard } from "./shard.js";

/** What a campaign needs from its surroundings (the CLI, the library API and the tests differ only here). */
export interface CampaignEnvironment {
  /** Progress (a bar on a terminal, lines otherwise). */
  stderr: CampaignProgressSink;
  /** Aborts the run in progress and skips the rest; the outputs are still written. */
  signal: AbortSignal;
  now: () => Date;
  /** Chooses the campaign seed when the file gives none. */
  freshSeed: () => number;
  /** Told the campaign directory as soon as it exists. */
  onDirectory?: (dir: CampaignDirectory) => void;
}

/** What part of a campaign one invocation runs. */
export interface CampaignRunOptions {
  /** The campaign file's SHA-256 ({@link campaignFileHash}), recorded so shards and resumes can be matched. */
  fileHash?: string;
  /** Run only this shard's runs (`--shard I/N`), in a campaign directory of its own. */
  shard?: Shard;
  /** Resume this campaign directory (`--resume`): run only the runs it has no verdict for. */
  resume?: string;
}

/** How a campaign ended. */
export interface CampaignOutcome {
  dir: CampaignDirectory;
  results: CampaignResults;
  /** The worst verdict's exit code (0 valid, 1 invalid, 2 unknown, a run without a verdict, or interrupted). */
  exitCode: number;
}

/**
 * Runs a campaign (issue 7 §3): expands the matrix, resolves and validates every run's configuration before
 * anything starts (a bad cell is exit 254 naming it), creates `<store>/campaigns/<name>/<timestamp>/`, then runs
 * each cell with `runTest`, one after another, with a progress bar and ETA. After every run it rewrites the
 * campaign's `results.json`, `junit.xml` (a suite per run) and `report.html` (a matrix linking each run's report,
 * and charts of lost / info / failed writes and write latency), so an interrupted or crashed campaign still
 * leaves readable outputs. A run that throws is recorded as an error and the campaign goes on.
 *
 * @example
 * const outcome = await runCampaign({ path: "examples/campaign.yaml", campaign: loadCampaign("examples/campaign.yaml") },
 *   { stderr: process.stderr, signal, now: () => new Date(), freshSeed });
 * process.exitCode = outcome.exitCode;
 */
export async function runCampaign(
  file: { path: string; campaign: Campaign },
  env: CampaignEnvironment,
  options: CampaignRunOptions = {},
): Promise<CampaignOutcome> {
  const c = file.campaign;
  const resumed = options.resume === undefined ? undefined : readResumable(options.resume, options.fileHash);
  const shard = resumed?.shard ?? options.shard;
  const seed =
    resumed?.seed ??
    c.seed ??
    (shard !== undefined && options.fileHash !== undefined
      ? seedFromHash(options.fileHash)
      : env.freshSeed());
  const cells = expandMatrix(c, seed);
  // Every configuration is resolved before anything runs, so a typo in the matrix costs no cluster time.
  const configs: ResolvedRunConfig[] = cells.map((cell) =>
    resolveRunConfig({
      file: {
        path: `${file.path} (run ${cell.id})`,
        data: cellConfig(c, cell, "runs"),
        bareDurations: "refused",
      },
      freshSeed: env.freshSeed,
    }),
  );
  const shardOf =
    shard === undefined
      ? undefined
      : assignShards(
          configs.map((x) => x.timeLimit),
          shard.count,
        );
  const own = cells.map((_, i) => i).filter((i) => shardOf === undefined || shardOf[i] === shard!.index);
  if (resumed) {
    const ids = resumed.results.cells.map((x) => x.id).join("\n");
    if (ids !== own.map((i) => cells[i]!.id).join("\n")) {
      throw new InputError(
        "RESUME_MISMATCH",
        `--resume ${options.resume}: that campaign's runs are not this file's (${resumed.results.cells.length} runs there, ${own.length} here)`,
        { details: { dir: options.resume } },
      );
    }
  }
  const storeDir = c.storeDir ?? (typeof c.run.storeDir === "string" ? c.run.storeDir : "store");
  const dir =
    resumed?.dir ??
    createCampaignDirectory({
      storeDir,
      name: c.name,
      now: env.now(),
      ...(shard === undefined ? {} : { suffix: `shard-${shard.index}-of-${shard.count}` }),
    });
  env.onDirectory?.(dir);
  if (!resumed) {
    writeJsonFile(dir.files.campaign, {
      file: file.path,
      ...(options.fileHash === undefined ? {} : { fileHash: options.fileHash }),
      ...(shard === undefined ? {} : { shard }),
      campaign: c,
      seed,
      runs: cells.map((cell, i) => ({
        ...cell,
        ...(shardOf === undefined ? {} : { shard: shardOf[i] }),
        config: { ...configs[i], storeDir: dir.runs },
      })),
    });
  }

  const results: CampaignResults = resumed?.results ?? {
    schemaVersion: 1,
    kind: "campaign",
    name: c.name,
    ...(c.description === undefined ? {} : { description: c.description }),
    file: file.path,
    ...(options.fileHash === undefined ? {} : { fileHash: options.fileHash }),
    ...(shard === undefined ? {} : { shard: { ...shard, runs: cells.length } }),
    dir: dir.path,
    startedAt: env.now().toISOString(),
    finishedAt: null,
    seed,
    valid: "unknown",
    exitCode: ExitCode.Unknown,
    interrupted: false,
    axes: campaignAxes(c, seed),
    cells: own.map((i) => notRun(cells[i]!, configs[i]!)),
  };
  if (resumed) {
    results.finishedAt = null;
    results.interrupted = false;
  }
  // What this invocation runs: every cell of its own, or, resumed, those without a verdict yet.
  const todo = own
    .map((ci, k) => ({ ci, k }))
    .filter(({ k }) => !resumed || results.cells[k]!.status !== "done");
  const checkerResults = resumed
    ? readCheckerResults(dir.path, results.cells)
    : new Map<number, Record<string, unknown>>();
  const log = { write: (t: string) => appendFileSync(dir.files.log, t), isTTY: false };
  const progress = startCampaignProgress({
    sink: env.stderr,
    timeLimitsMs: todo.map(({ ci }) => configs[ci]!.timeLimit),
  });
  if (resumed) {
    log.write(`\n== resumed: ${todo.length} of ${own.length} runs left to run\n`);
    env.stderr.write(`faultline: resuming ${dir.path}: ${todo.length} of ${own.length} runs left to run\n`);
  }
  writeOutputs(dir, results, checkerResults);
  try {
    for (let n = 0; n < todo.length; n++) {
      if (env.signal.aborted) break;
      const { ci, k } = todo[n]!;
      const cell = cells[ci]!;
      const config = { ...configs[ci]!, storeDir: dir.runs };
      progress.started(n, cell.label);
      log.write(`\n== ${cell.label}\n`);
      const started = Date.now();
      let r: CampaignCellResult;
      try {
        const outcome = await runTest(config, { stderr: log, signal: env.signal, now: env.now });
        r = await cellOf(cell, config, outcome, dir.path, Date.now() - started);
        if (outcome.verdict) checkerResults.set(k, outcome.verdict.results);
      } catch (err) {
        const message = isFaultlineError(err)
          ? err.message
          : `internal error: ${(err as Error).message ?? String(err)}`;
        log.write(`error: ${message}\n`);
        r = { ...notRun(cell, config), status: "error", error: message, elapsedMs: Date.now() - started };
      }
      results.cells[k] = r;
      const outcomeText =
        r.status === "done" ? verdictWord(r.valid) : r.status === "error" ? `error: ${r.error}` : r.status;
      progress.finished(n, cell.label, outcomeText, r.elapsedMs ?? 0);
      writeOutputs(dir, results, checkerResults);
    }
  } finally {
    progress.stop();
    results.interrupted = env.signal.aborted;
    results.finishedAt = env.now().toISOString();
    // writeOutputs settles the verdict and exit code over every cell.
    writeOutputs(dir, results, checkerResults);
  }
  return { dir, results, exitCode: results.exitCode };
}

/** A campaign directory to resume: its results so far, seed and shard, after checking it is this file's. */
function readResumable(
  path: string,
  fileHash: string | undefined,
): { dir: CampaignDirectory; results: CampaignResults; seed: number; shard: Shard | undefined } {
  const dir = openCampaignDirectory(path, "--resume");
  let results: CampaignResults;
  try {
    results = JSON.parse(readFileSync(dir.files.results, "utf8")) as CampaignResults;
  } catch (err) {
    throw new InputError(
      "BAD_RESUME",
      `--resume ${path}: ${dir.files.results} cannot be read as a campaign's results: ${(err as Error).message}`,
      { details: { dir: path } },
    );
  }
  if (results.kind !== "campaign" || !Array.isArray(results.cells)) {
    throw new InputError(
      "BAD_RESUME",
      `--resume ${path}: ${dir.files.results} is not a campaign's results.json`,
      {
        details: { dir: path },
      },
    );
  }
  if (fileHash !== undefined && results.fileHash !== undefined && results.fileHash !== fileHash) {
    throw new InputError(
      "RESUME_MISMATCH",
      `--resume ${path}: that campaign ran another file (or this file changed since): file hash ${results.fileHash.slice(0, 12)}…, this file's ${fileHash.slice(0, 12)}…`,
      { details: { dir: path, theirs: results.fileHash, ours: fileHash } },
    );
  }
  const shard =
    results.shard === undefined ? undefined : { index: results.shard.index, count: results.shard.count };
  return { dir, results, seed: results.seed, shard };
}

/** The checker results of the runs a campaign already finished (for its junit.xml), by cell position. */
export function readCheckerResults(
  campaignDir: string,
  cells: readonly CampaignCellResult[],
): Map<number, Record<string, unknown>> {
  const out = new Map<number, Record<string, unknown>>();
  cells.forEach((cell, k) => {
    if (cell.status !== "done" || cell.runDir === null) return;
    try {
      const run = JSON.parse(readFileSync(join(campaignDir, cell.runDir, "results.json"), "utf8")) as {
        results?: Record<string, unknown>;
      };
      if (run.results) out.set(k, run.results);
    } catch {
      // A run directory that lost its results.json: its junit suite shows no checker results.
    }
  });
  return out;
}

function verdictWord(v: Validity | null): string {
  return v === true ? "valid" : v === false ? "INVALID" : "unknown";
}

function notRun(cell: CampaignCell, config: ResolvedRunConfig): CampaignCellResult {
  return {
    ...cell,
    status: "not-run",
    valid: null,
    exitCode: null,
    runDir: null,
    report: null,
    metrics: null,
    timeLimitMs: config.timeLimit,
    elapsedMs: null,
  };
}

async function cellOf(
  cell: CampaignCell,
  config: ResolvedRunConfig,
  outcome: RunOutcome,
  campaignDir: string,
  elapsedMs: number,
): Promise<CampaignCellResult> {
  const runDir = relative(campaignDir, outcome.dir.path);
  let metrics: CampaignCellResult["metrics"] = null;
  if (outcome.verdict) {
    const { history } = await readHistory(outcome.dir.files.history);
    const workload = workloadByName(config.workload);
    metrics = runMetrics(
      history,
      outcome.verdict.results,
      workload ? (op) => workload.isWrite(op) : undefined,
    );
  }
  return {
    ...cell,
    status: outcome.interrupted ? "interrupted" : outcome.verdict ? "done" : "error",
    valid: outcome.verdict?.valid ?? null,
    exitCode: outcome.exitCode,
    runDir,
    report: outcome.verdict ? join(runDir, "report.html") : null,
    ...(outcome.verdict ? {} : { error: "the run produced no verdict (see campaign.log)" }),
    metrics,
    timeLimitMs: config.timeLimit,
    elapsedMs,
  };
}

/** The campaign's results.json, junit.xml (a suite per run) and report.html, as they stand. */
export function writeOutputs(
  dir: CampaignDirectory,
  results: CampaignResults,
  checkerResults: ReadonlyMap<number, Record<string, unknown>>,
): void {
  results.valid = campaignValidity(results.cells);
  results.exitCode = exitCodeOf(results.valid);
  writeJsonFile(dir.files.results, results);
  const suites: JunitRun[] = results.cells
    .filter((c) => c.status !== "not-run" || results.finishedAt !== null)
    .map((c) => {
      const i = results.cells.indexOf(c);
      const base: JunitRun = {
        name: c.id,
        results: checkerResults.get(i) ?? {},
        seconds: (c.elapsedMs ?? 0) / 1000,
        properties: {
          ...(c.store === undefined ? {} : { store: c.store }),
          workload: c.workload,
          nemesis: c.nemesis,
          replication: c.replication,
          seed: c.seed,
          runDir: c.runDir ?? undefined,
          report: c.report ?? undefined,
        },
      };
      if (c.status === "done") return base;
      return {
        ...base,
        error: c.error ?? (c.status === "not-run" ? "not run: the campaign was interrupted" : c.status),
      };
    });
  writeTextFile(dir.files.junit, junitXml(`faultline campaign ${results.name}`, suites));
  writeTextFile(dir.files.report, renderCampaignReport(results));
}
