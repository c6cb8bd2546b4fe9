import { relative } from "node:path";

/** `valid`, `INVALID` or `unknown`, as the commands' summaries print a verdict. */
export function verdictWord(valid: unknown): string {
  return valid === true ? "valid" : valid === false ? "INVALID" : "unknown";
}

/** A path relative to the working directory, for messages. */
export function shown(path: string): string {
  return relative(process.cwd(), path) || ".";
}
