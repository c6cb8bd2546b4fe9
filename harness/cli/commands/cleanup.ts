import type { Command } from "commander";
import { harnessAlive, keptOnPurpose, reap, scanTaggedProcesses } from "../../reaper/index.js";

/**
 * Registers `faultline cleanup`: removes the processes (Redis, Sentinel, proxy) that runs left behind — those
 * whose harness died, by default; also clusters kept with `--leave-running` with `--all`; or one run with
 * `--run <id>` — and says what it removed.
 *
 * @example
 * faultline cleanup --run set-none/20261126T054201.123Z
 */
export function registerCleanupCommand(program: Command): Command {
  return program
    .command("cleanup")
    .description(
      "remove processes left behind by killed runs (and, on request, clusters kept with --leave-running)",
    )
    .option("--all", "also remove clusters kept on purpose with --leave-running")
    .option(
      "--run <id>",
      "remove every process of this run (its id is store/<test-name>/<timestamp> minus store/)",
    )
    .option("--dry-run", "only list what would be removed")
    .action(async (flags: { all?: boolean; run?: string; dryRun?: boolean }) => {
      if (flags.dryRun) {
        const found = scanTaggedProcesses();
        if (found.length === 0) process.stdout.write("no faultline processes running\n");
        for (const p of found) {
          const state = harnessAlive(p)
            ? "harness alive"
            : keptOnPurpose(p)
              ? "kept (--leave-running)"
              : "orphaned";
          process.stdout.write(`${p.pid}\t${p.runId}\t${state}\t${p.command}\n`);
        }
        return;
      }
      const removed = await reap({
        ...(flags.all ? { includeKept: true } : {}),
        ...(flags.run !== undefined ? { runId: flags.run } : {}),
      });
      if (removed.length === 0) {
        process.stdout.write("nothing to clean up\n");
        return;
      }
      for (const p of removed) process.stdout.write(`removed pid ${p.pid} of run ${p.runId}: ${p.command}\n`);
      process.stdout.write(`removed ${removed.length} process(es)\n`);
    });
}
