import type { Command } from "commander";
import type Docker from "dockerode";
import type * as DockerBackend from "../../../core/backends/docker/index.js";
import {
  harnessAlive,
  keptOnPurpose,
  reap,
  scanTaggedProcesses,
} from "../../../core/backends/reaper/index.js";

/**
 * Registers `faultline cleanup`: removes the processes (store nodes, failover managers, proxy) that runs left behind — those
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
      "remove processes, and docker containers and networks, left behind by killed runs (and, on request, clusters " +
        "kept with --leave-running)",
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
        const labelled = await dockerLeftovers((docker, m) => m.listLabelled(docker));
        if (found.length === 0 && labelled.length === 0)
          process.stdout.write("no faultline processes running\n");
        for (const o of labelled) process.stdout.write(`${o.kind} ${o.name}\t${o.runId}\t${o.state}\n`);
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
      const selection = {
        ...(flags.all ? { includeKept: true } : {}),
        ...(flags.run !== undefined ? { runId: flags.run } : {}),
      };
      const removed = await reap(selection);
      const removedDocker = await dockerLeftovers((docker, m) => m.reapDocker(docker, selection));
      for (const o of removedDocker) process.stdout.write(`removed ${o.kind} ${o.name} of run ${o.runId}\n`);
      if (removed.length === 0) {
        if (removedDocker.length > 0) return;
        process.stdout.write("nothing to clean up\n");
        return;
      }
      for (const p of removed) process.stdout.write(`removed pid ${p.pid} of run ${p.runId}: ${p.command}\n`);
      process.stdout.write(`removed ${removed.length} process(es)\n`);
    });
}

type DockerModule = typeof DockerBackend;

/**
 * Runs `fn` against the Docker engine when one answers (the docker backend's containers and networks carry the
 * run's labels); with no engine there is nothing of that kind to find, and the answer is empty.
 */
async function dockerLeftovers<T>(fn: (docker: Docker, m: DockerModule) => Promise<T[]>): Promise<T[]> {
  const m = await import("../../../core/backends/docker/index.js");
  // One ping, with a short timeout: an engine that does not answer has nothing to list.
  const docker = await m.connectDocker({ timeoutMs: 2000 }).catch(() => undefined);
  return docker ? fn(docker, m) : [];
}
