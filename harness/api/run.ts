import type { CheckResult, Validity } from "../../checkers/core/index.js";
import type { RunConfigInput, ResolvedRunConfig } from "../config/index.js";
import type { FinalPhaseOutcome } from "../runner/index.js";
import type { FaultAccount } from "../../nemesis/execute/index.js";

/**
 * Options of {@link run}: the same fields as a `faultline run --config` file (durations as milliseconds or
 * `"20s"`), with the same defaults as the CLI, plus how to stop it and where its progress goes.
 */
export type RunOptions = Omit<RunConfigInput, "run" | "checkers"> & {
  /** Aborts the run: the cluster is torn down, the history kept, and the result is `unknown`. */
  signal?: AbortSignal;
  /** Progress and messages, one line at a time (default: silent). */
  log?: (line: string) => void;
};

/** What {@link run} returns. */
export interface RunResult {
  /** The composed verdict (worst of the checkers'); `unknown` when interrupted or not checkable. */
  valid: Validity;
  /** 0 valid, 1 invalid, 2 unknown (DESIGN.md), as the CLI would exit. */
  exitCode: number;
  /** Each checker's result by label, as in `results.json`. */
  results: Record<string, CheckResult>;
  /** The run directory, and its files. */
  runDir: string;
  files: { config: string; history: string; results: string; report: string; junit: string };
  seed: number;
  /** The configuration as resolved (every default filled in). */
  config: ResolvedRunConfig;
  interrupted: boolean;
  /** How the final phase went (heal, recovery, final reads). */
  final: FinalPhaseOutcome | undefined;
  /** What became of each scheduled fault (applied, failed to apply, skipped), as `results.json`'s `faults`. */
  faults: FaultAccount | undefined;
}

/**
 * Runs one faultline test, exactly as `faultline run` does — a real cluster of the chosen store (`store.kind`,
 * default the first store of the registry) with every link through the proxy, the workload, the nemesis, the final phase, the checkers — and returns the verdict and where
 * the run directory is. Bad options throw an `InputError` naming the field; the verdict itself never throws.
 *
 * @example
 * import { run } from "faultline";
 * const result = await run({ workload: "set", nemesis: "partition-leader", timeLimit: "10s" });
 * if (result.valid !== true) console.log(`see ${result.files.report}`);
 */
export async function run(options: RunOptions = {}): Promise<RunResult> {
  const { signal, log, ...fields } = options;
  const { resolveRunConfig } = await import("../config/index.js");
  const { freshSeed } = await import("../../core/random/index.js");
  const { runTest } = await import("../runner/index.js");
  const config = resolveRunConfig({ file: { path: "run() options", data: fields }, freshSeed });
  let pending = "";
  const outcome = await runTest(config, {
    stderr: {
      isTTY: false,
      write(text: string) {
        if (!log) return true;
        pending += text;
        const lines = pending.split("\n");
        pending = lines.pop() ?? "";
        for (const l of lines) log(l);
        return true;
      },
    },
    signal: signal ?? new AbortController().signal,
    now: () => new Date(),
  });
  const f = outcome.dir.files;
  return {
    valid: outcome.verdict?.valid ?? "unknown",
    exitCode: outcome.exitCode,
    results: outcome.verdict?.results ?? {},
    runDir: outcome.dir.path,
    files: { config: f.config, history: f.history, results: f.results, report: f.report, junit: f.junit },
    seed: config.seed,
    config,
    interrupted: outcome.interrupted,
    final: outcome.final,
    faults: outcome.verdict?.faults,
  };
}
