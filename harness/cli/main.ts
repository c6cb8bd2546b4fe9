import { runCli } from "./program.js";

/** Entry point of the `faultline` binary. */
export async function main(): Promise<void> {
  const code = await runCli(process.argv.slice(2));
  process.exitCode = code;
}
