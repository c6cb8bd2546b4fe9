/**
 * `faultline replay <run-dir>`: the run again — the same configuration, seed and stored fault schedule from its
 * `config.json` — into a new run directory. Also the home of what `shrink` shares with it: reading a run
 * directory.
 */
import type { Command } from "commander";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { ResolvedRunConfig } from "../../config/index.js";
import { InputError } from "../../../core/errors/index.js";
import { readJsonObject } from "../../../core/run-store/index.js";
import type { RunOutcome } from "../../runner/index.js";
import { withInterrupts } from "./interrupts.js";
import { shown, verdictWord } from "./summary-text.js";
import { setExitCode } from "../set-exit-code.js";

/** What a run directory says about its run. */
export interface RecordedRun {
  readonly dir: string;
  /** The run's configuration, seed and schedule (its `config.json`, resolved again). */
  readonly config: ResolvedRunConfig;
  /** Its `results.json`, when the run got that far. */
  readonly results: { valid?: unknown; results?: Record<string, unknown> } | undefined;
}

/**
 * Reads a run directory's `config.json` (and `results.json` if any), with `overrides` (flag texts by commander
 * attribute, e.g. `{ storeDir: "/tmp/s" }`) on top. Errors name the directory and exit 254.
 */
export async function readRecordedRun(
  dir: string,
  overrides: Record<string, unknown> = {},
): Promise<RecordedRun> {
  const { loadConfigFile, resolveRunConfig } = await import("../../config/index.js");
  if (!existsSync(join(dir, "config.json"))) {
    throw new InputError("NOT_A_RUN_DIRECTORY", `${dir} holds no config.json: it is not a run directory`, {
      details: { dir },
      hint: "pass a directory faultline run made, e.g. store/latest",
    });
  }
  const file = loadConfigFile(dir);
  const config = resolveRunConfig({
    file,
    flags: overrides,
    freshSeed: () => {
      throw new InputError("NO_SEED", `${file.path} has no seed, so the run cannot be replayed`, {
        details: { path: file.path },
      });
    },
  });
  const results = readJsonObject(join(dir, "results.json")) as RecordedRun["results"];
  return { dir, config, results };
}

/**
 * Registers `faultline replay`.
 *
 * @example
 * faultline replay store/latest
 */
export function registerReplayCommand(program: Command): Command {
  const cmd = program
    .command("replay")
    .description(
      "run a recorded run again: the same configuration, seed and fault schedule (its config.json), into a new run directory",
    )
    .argument("<run-dir>", "a run directory (store/<test-name>/<timestamp>, or store/latest)")
    .option("--store-dir <dir>", "where the new run directory goes (default: the recorded run's store)");
  cmd.action(async (dir: string, flags: { storeDir?: string }) => {
    const recorded = await readRecordedRun(dir, flags.storeDir ? { storeDir: flags.storeDir } : {});
    const { runTest } = await import("../../runner/index.js");
    const outcome: RunOutcome = await withInterrupts((env) =>
      runTest(recorded.config, { ...env, stderr: process.stderr, now: () => new Date() }),
    );
    const lines = [`replay of ${shown(dir)} (seed ${recorded.config.seed})`];
    if (recorded.results) lines.push(`recorded verdict: ${verdictWord(recorded.results.valid)}`);
    if (outcome.verdict) lines.push(`verdict: ${verdictWord(outcome.verdict.valid)}`);
    lines.push(`run:     ${shown(outcome.dir.path)}`);
    if (outcome.interrupted) lines.push("interrupted: the history is kept");
    process.stdout.write(lines.join("\n") + "\n");
    setExitCode(cmd, outcome.exitCode);
  });
  return cmd;
}
