import type { Command } from "commander";
import { InputError } from "../../../core/errors/index.js";

interface ServeFlags {
  port: string;
  host: string;
  storeDir: string;
}

/**
 * Registers `faultline serve`: a results browser over the store — campaigns and runs with their verdicts, and
 * their reports — on loopback unless `--host` says otherwise. Runs until Ctrl-C.
 *
 * @example
 * faultline serve                      # http://127.0.0.1:8080/
 * faultline serve --port 9000 --store-dir ci-store
 */
export function registerServeCommand(program: Command): Command {
  const cmd = program
    .command("serve")
    .description(
      "browse the store's runs and campaigns and their reports over HTTP (this machine only by default)",
    )
    .option("--port <n>", "port to listen on (0 picks a free one)", "8080")
    .option(
      "--host <address>",
      "interface to listen on; anything but loopback exposes every history",
      "127.0.0.1",
    )
    .option("--store-dir <dir>", "the store to serve", "store");
  cmd.action(async (flags: ServeFlags) => {
    const port = /^\d+$/.test(flags.port) ? Number(flags.port) : NaN;
    if (!Number.isInteger(port) || port > 65535) {
      throw new InputError(
        "BAD_FLAG",
        `--port must be an integer from 0 to 65535, got ${JSON.stringify(flags.port)}`,
      );
    }
    const { startResultsServer, isLoopback } = await import("../../serve/index.js");
    const server = await startResultsServer({ port, host: flags.host, storeDir: flags.storeDir });
    if (!isLoopback(flags.host)) {
      process.stderr.write(
        `faultline: warning: listening on ${flags.host}: anyone who can reach this machine can read every history in ${server.storeDir}\n`,
      );
    }
    process.stdout.write(`faultline: serving ${server.storeDir} at ${server.url} (Ctrl-C to stop)\n`);
    await new Promise<void>((done) => {
      const stop = (): void => {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
        void server.close().then(done);
      };
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
    });
  });
  return cmd;
}
