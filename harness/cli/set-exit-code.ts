/**
 * How a command hands its exit code (the verdict's) to `runCli` without exiting: it is kept on the root command.
 * Its own module, so the commands and the program that lists them both import it and neither imports the other.
 */
import type { Command } from "commander";

type WithExitCode = Command & { faultlineExitCode?: number };

/** Sets the exit code a command wants (the verdict's code) without exiting. */
export function setExitCode(cmd: Command, code: number): void {
  let root: Command = cmd;
  while (root.parent) root = root.parent;
  (root as WithExitCode).faultlineExitCode = code;
}

/** The exit code a command set on `program` with {@link setExitCode}, if any. */
export function exitCodeOf(program: Command): number | undefined {
  return (program as WithExitCode).faultlineExitCode;
}
