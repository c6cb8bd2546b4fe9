/**
 * `faultline shrink <run-dir>`: looks for the smallest fault schedule that still breaks the store the way a
 * failing run did, by running smaller schedules (same configuration and seed) on real clusters.
 */
import type { Command } from "commander";
import { existsSync, mkdirSync, realpathSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../../../core/errors/index.js";
import { setExitCode } from "../set-exit-code.js";
import { withInterrupts } from "./interrupts.js";
import { readRecordedRun } from "./replay.js";
import { shown } from "./summary-text.js";

interface ShrinkFlags {
  budget?: string;
  anomaly?: string[];
  storeDir?: string;
  verbose?: boolean;
}

/**
 * Registers `faultline shrink`.
 *
 * @example
 * faultline shrink store/latest --budget 10
 */
export function registerShrinkCommand(program: Command): Command {
  const cmd = program
    .command("shrink")
    .description(
      "shrink a failing run's fault schedule: re-run smaller schedules (fewer faults, shorter faults, a shorter run) " +
        "with the same configuration and seed, keeping the smallest that still shows the same anomaly kinds; " +
        "writes <run-dir>/shrink/minimal-schedule.json and names the run that proves it",
    )
    .argument("<run-dir>", "the failing run's directory (store/<test-name>/<timestamp>, or store/latest)")
    .option("--budget <n>", "how many candidate runs at most (default: 20)")
    .option(
      "--anomaly <checker:kind...>",
      "the anomaly kinds to keep (default: every kind the run showed, e.g. set:lost)",
    )
    .option("--store-dir <dir>", "where the attempts' run directories go (default: the run's store)")
    .option("--verbose", "show each attempt's own output");
  cmd.action(async (given: string, flags: ShrinkFlags) => {
    // `store/latest` moves with every attempt: fix the run it means now.
    const dir = existsSync(given) ? realpathSync(given) : given;
    const budgetText = flags.budget ?? "20";
    const budget = Number(budgetText);
    if (!/^\d+$/.test(budgetText) || budget < 1) {
      throw new InputError(
        "BAD_FLAG",
        `--budget must be a whole number ≥ 1, got ${JSON.stringify(flags.budget)}`,
        {
          details: { flag: "--budget", value: flags.budget },
        },
      );
    }
    const { anomalyKinds, shrinkRun, describeAttempt } = await import("../../../nemesis/shrink/index.js");
    const { describeSchedule } = await import("../../../nemesis/schedule/index.js");
    const recorded = await readRecordedRun(dir, flags.storeDir ? { storeDir: flags.storeDir } : {});
    const shown_ = anomalyKinds(recorded.results?.results ?? {});
    if (recorded.results?.valid !== false || shown_.length === 0) {
      throw new InputError("NOTHING_TO_SHRINK", `${shown(dir)} did not fail: there is no anomaly to keep`, {
        details: { dir, valid: recorded.results?.valid },
        hint: "shrink a run whose verdict was INVALID (exit 1)",
      });
    }
    const target = flags.anomaly ?? shown_;
    const missing = target.filter((k) => !shown_.includes(k));
    if (missing.length > 0) {
      throw new InputError(
        "BAD_FLAG",
        `--anomaly: ${shown(dir)} did not show ${missing.join(", ")}; it showed ${shown_.join(", ")}`,
        { details: { flag: "--anomaly", value: missing } },
      );
    }
    const base = recorded.config;
    const say = (text: string): void => void process.stderr.write(`faultline: ${text}\n`);
    say(`shrinking ${shown(dir)} (seed ${base.seed}), keeping ${target.join(", ")}; at most ${budget} runs`);
    say(`from: ${describeSchedule(base.schedule).replaceAll("\n", "\n  ")}`);
    const { runTest } = await import("../../runner/index.js");
    const result = await withInterrupts(async (env) =>
      shrinkRun({
        initial: base.schedule,
        target,
        budget,
        async attempt(schedule) {
          if (env.signal.aborted) throw new Error("interrupted");
          const outcome = await runTest(
            { ...base, schedule, timeLimit: schedule.timeLimit, testName: `${base.testName}-shrink` },
            {
              ...env,
              now: () => new Date(),
              stderr: flags.verbose ? process.stderr : { write: () => true },
            },
          );
          if (outcome.interrupted) throw new Error("interrupted");
          return { runDir: outcome.dir.path, kinds: anomalyKinds(outcome.verdict?.results ?? {}) };
        },
        onAttempt: (r) =>
          say(`${describeAttempt({ ...r })}${r.runDir ? `\n    run: ${shown(r.runDir)}` : ""}`),
      }),
    );
    const out = join(dir, "shrink");
    mkdirSync(out, { recursive: true });
    const scheduleFile = join(out, "minimal-schedule.json");
    writeFileSync(scheduleFile, JSON.stringify(result.smallest, null, 2) + "\n");
    const proof = result.evidence ?? dir;
    writeFileSync(
      join(out, "shrink.json"),
      JSON.stringify(
        {
          outcome: result.outcome,
          target,
          attempts: result.attempts,
          proof,
          schedule: result.smallest,
          trail: result.trail.map((t) => ({
            attempt: t.attempt,
            outcome: t.outcome,
            kept: t.kept,
            windows: t.candidate.windows.map((w) => w.id),
            timeLimit: t.candidate.timeLimit,
            ...(t.error ? { error: t.error } : {}),
          })),
        },
        null,
        2,
      ) + "\n",
    );
    process.stdout.write(
      [
        `${result.outcome === "minimal" ? "minimal" : "smallest found (budget spent)"} after ${result.attempts} run(s): ${describeSchedule(result.smallest).replaceAll("\n", "\n  ")}`,
        `schedule: ${shown(scheduleFile)}`,
        `proof:    ${shown(proof)} (faultline replay ${shown(proof)}; faultline run --schedule ${shown(scheduleFile)} --seed ${base.seed})`,
      ].join("\n") + "\n",
    );
    setExitCode(cmd, 0);
  });
  return cmd;
}
