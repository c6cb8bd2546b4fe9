import type { Command } from "commander";

/**
 * Registers `faultline stores`: lists every store `faultline run --store <kind>` accepts (`stores/registry.ts`),
 * one line each — its kind, the default mark, what it is, its replication modes and the workloads it runs.
 *
 * @example
 * faultline stores
 * // <kind> (default)  <what it is>; replication: <modes>; workloads: …; backends: …
 */
export function registerStoresCommand(program: Command): Command {
  return program
    .command("stores")
    .description("list the stores `faultline run --store <kind>` accepts, one line each")
    .action(async () => {
      const { storeLines } = await import("./store-lines.js");
      process.stdout.write(storeLines().join("\n") + "\n");
    });
}
