import type { Command } from "commander";

/**
 * Registers `faultline workloads`: lists every workload `faultline run --workload <name>` accepts, one line each —
 * its name, then what it does and which checkers judge it.
 *
 * @example
 * faultline workloads
 * // register        read / write / compare-and-set of unique integers on a few keys at the leader → …
 */
export function registerWorkloadsCommand(program: Command): Command {
  return program
    .command("workloads")
    .description("list the workloads `faultline run --workload <name>` accepts, one line each")
    .action(async () => {
      // Loaded here: registering commands (which every `faultline` process does) stays free of workload code.
      const { workloadLines } = await import("./workload-lines.js");
      process.stdout.write(workloadLines().join("\n") + "\n");
    });
}
