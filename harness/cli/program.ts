import { Command, CommanderError, Option } from "commander";
import { ExitCode, isFaultlineError } from "../../core/errors/index.js";
import { commands } from "./commands/index.js";
import { exitCodeOf } from "./set-exit-code.js";

/**
 * Builds the `faultline` command-line program. Each subcommand lives in `commands/<name>.ts` and is listed in
 * `commands/index.ts`. Commander parses; every parse error becomes exit code 254 with the flag named.
 */
export function buildProgram(): Command {
  const program = new Command("faultline")
    .description(
      "Jepsen-style fault injection for single-leader replicated stores (faultline stores lists them): real clusters, " +
        "every link through a fault proxy, histories, checkers, reports.",
    )
    .version(packageVersion(), "-V, --version")
    .addOption(new Option("--debug", "print stack traces and debug logs").default(false))
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  for (const register of commands) {
    const sub = register(program);
    sub.exitOverride().showHelpAfterError("(run with --help for usage)");
  }
  return program;
}

/**
 * Runs the CLI and returns the exit code (it never calls `process.exit` itself, so tests can call it).
 */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  const debug = argv.includes("--debug");
  try {
    await program.parseAsync(argv as string[], { from: "user" });
    return exitCodeOf(program) ?? ExitCode.Valid;
  } catch (err) {
    return reportError(err, debug);
  }
}

/** Prints an error the way users should see it and returns the exit code it maps to. */
export function reportError(err: unknown, debug: boolean): number {
  if (err instanceof CommanderError) {
    // --help and --version exit through here with code 0.
    if (err.exitCode === 0 || err.code === "commander.helpDisplayed" || err.code === "commander.version") {
      return ExitCode.Valid;
    }
    // Commander has already printed "error: unknown option '--x'" and the help hint.
    return ExitCode.BadInput;
  }
  if (isFaultlineError(err)) {
    process.stderr.write(`faultline: ${err.message}\n`);
    if (err.hint) process.stderr.write(`hint: ${err.hint}\n`);
    if (debug && err.stack) process.stderr.write(`${err.stack}\n`);
    return err.userError ? ExitCode.BadInput : ExitCode.Crash;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  process.stderr.write(`faultline: internal error: ${e.message}\n`);
  process.stderr.write(
    debug
      ? `${e.stack ?? ""}\n`
      : "hint: this is a bug in faultline; rerun with --debug for the stack trace\n",
  );
  return ExitCode.Crash;
}

function packageVersion(): string {
  return "0.1.0";
}
