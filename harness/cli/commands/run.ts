import { Option, type Command } from "commander";
import { resultOf, typedResults } from "../../../checkers/registry/index.js";
// The flag table and defaults, not the config module: they are plain data, so registering this command (which
// every `faultline` process does, the proxy child of every run included) loads no schema library.
import { RUN_DEFAULTS } from "../../config/defaults.js";
import { RUN_FLAGS, type FlagSpec } from "../../config/flags.js";
import type { ResolvedRunConfig } from "../../config/index.js";
import type { RunOutcome } from "../../runner/index.js";
import { setExitCode } from "../set-exit-code.js";
import { withInterrupts } from "./interrupts.js";
import { unscheduledFailoverLines } from "./unscheduled-failovers.js";
import { shown as rel, verdictWord } from "./summary-text.js";

/**
 * Registers `faultline run`: one test run on a real local cluster of the chosen store (`--store`) with every link through the
 * proxy. Flags (or `--config <file>`) are resolved once by the config schema; bad values exit 254 naming the
 * flag or field. The exit code is the verdict's (0 valid, 1 invalid, 2 unknown or interrupted).
 *
 * @example
 * faultline run --time-limit 20s --nemesis partition-leader
 */
export function registerRunCommand(program: Command): Command {
  const defaults: Record<string, unknown> = RUN_DEFAULTS;
  const cmd = program
    .command("run")
    .description(
      "run a test: start a cluster of the chosen store with every link through faultline's proxy, drive the workload " +
        "while the nemesis injects faults, check the history; writes store/<test-name>/<timestamp>/",
    )
    .option(
      "--config <file>",
      "a JSON or YAML run configuration (or a run directory, to replay its config.json); flags override it",
    );
  for (const spec of RUN_FLAGS) cmd.addOption(new Option(spec.flags, describe(spec, defaults)));
  cmd.addHelpText(
    "after",
    "\nA run leaves store/<test-name>/<timestamp>/ with config.json (seed included), history.jsonl, results.json,\n" +
      "report.html, junit.xml and nodes/<node>/*.log; store/latest points at it. Ctrl-C stops the run cleanly (a second one\n" +
      "forces it). `faultline cleanup` removes what a killed run left behind.",
  );
  cmd.action(async (flags: Record<string, unknown>) => {
    const config = await resolveRunFlags(flags);
    // Loaded here, not at the top: every other command (and `faultline proxy`, which each run starts) stays quick to load.
    const { runTest } = await import("../../runner/index.js");
    const outcome = await withInterrupts((env) =>
      runTest(config, { stderr: process.stderr, now: () => new Date(), ...env }),
    );
    printSummary(outcome);
    setExitCode(cmd, outcome.exitCode);
  });
  return cmd;
}

/**
 * Everything `faultline run` checks before anything starts, from its flags as commander gives them: the
 * `--config` file read, flags over it, the whole configuration resolved (seed, schedule), and the store directory
 * made and checked writable. Any problem throws an `InputError` (exit 254) naming the flag, field or path.
 *
 * @example
 * const config = await resolveRunFlags({ timeLimit: "10s", nemesis: "kill-leader" });
 */
export async function resolveRunFlags(flags: Record<string, unknown>): Promise<ResolvedRunConfig> {
  const { loadConfigFile, resolveRunConfig } = await import("../../config/index.js");
  const { freshSeed } = await import("../../../core/random/index.js");
  const file = typeof flags.config === "string" ? loadConfigFile(flags.config) : undefined;
  const config = resolveRunConfig({ ...(file ? { file } : {}), flags, freshSeed });
  // Before anything starts: a store under /proc, below a file or not writable is exit 254, named, at once.
  const { ensureWritableDirectory } = await import("../../../core/user-paths/index.js");
  ensureWritableDirectory(config.storeDir, { label: "--store-dir" });
  return config;
}

function describe(spec: FlagSpec, defaults: Record<string, unknown>): string {
  const value = spec.field
    .split(".")
    .reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], defaults);
  const choices = spec.choices ? ` (${spec.choices.join(" | ")})` : "";
  if (value === undefined || spec.kind === "boolean") return spec.description + choices;
  const shown = spec.kind === "duration" ? `${Number(value) / 1000}s` : String(value);
  return `${spec.description}${choices} (default: ${shown})`;
}

function printSummary(o: RunOutcome): void {
  const out: string[] = [];
  if (o.verdict) {
    const v = verdictWord(o.verdict.valid);
    // The set checker's result, read through its own type.
    const set = resultOf(typedResults(o.verdict.results), "set")?.result;
    const detail = set
      ? ` — ${set.lostCount} of ${set.acknowledgedCount} acknowledged writes lost, ${set.unexpectedCount} unexpected`
      : "";
    out.push(`verdict: ${v}${detail}`);
    out.push(...unscheduledFailoverLines(o.dir.files.results));
    // Why a run is unknown though no checker said so: what it is missing (no final read, a required fault…).
    for (const m of o.verdict.completeness.missing) out.push(`missing: ${m}`);
    const f = o.verdict.faults;
    if (f && f.scheduled > 0) {
      out.push(
        `faults:  ${f.scheduled} scheduled, ${f.applied} applied, ${f.failed} failed, ${f.skipped} skipped`,
      );
    }
    out.push(`report:  ${rel(o.dir.files.report)}`);
    out.push(`results: ${rel(o.dir.files.results)}`);
    out.push(`junit:   ${rel(o.dir.files.junit)}`);
  }
  out.push(`history: ${rel(o.dir.files.history)}`);
  if (o.interrupted) {
    out.push(`interrupted: the history is kept; check it with: faultline check ${rel(o.dir.path)}`);
  }
  process.stdout.write(out.join("\n") + "\n");
}
