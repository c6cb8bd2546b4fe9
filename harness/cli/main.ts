import { reportError, runCli } from "./program.js";

/** Entry point of the `faultline` binary. */
export async function main(): Promise<void> {
  // A promise rejected with no handler (a library's internal command, say) would make Node exit at once with
  // code 1, which means "invalid" here, and leave the cluster running. It is reported instead, and the run goes
  // on to its verdict and its teardown.
  process.on("unhandledRejection", (reason) => {
    const message = reason instanceof Error ? reason.message : String(reason);
    process.stderr.write(
      `faultline: warning: internal error ignored (a promise rejected unhandled): ${message}\n`,
    );
    if (process.argv.includes("--debug") && reason instanceof Error && reason.stack) {
      process.stderr.write(`${reason.stack}\n`);
    }
  });
  // An exception nothing caught (thrown in a callback) would make Node exit with code 1, which means "invalid"
  // here: it is a crash, 255, said as one.
  process.on("uncaughtException", (err) => {
    process.exitCode = reportError(err, process.argv.includes("--debug"));
    process.exit();
  });
  const code = await runCli(process.argv.slice(2));
  process.exitCode = code;
}
