import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ExitCode } from "../../core/errors/index.js";

const readme = readFileSync(join(import.meta.dirname, "..", "..", "README.md"), "utf8");

/** The codes in the README's "## Exit codes" table. */
function documentedCodes(): number[] {
  const section = readme.slice(
    readme.indexOf("## Exit codes"),
    readme.indexOf("\n## ", readme.indexOf("## Exit codes") + 1),
  );
  return [...section.matchAll(/^\| (\d+) +\|/gm)].map((m) => Number(m[1]));
}

describe("ExitCode", () => {
  it("should have every code listed in the README's exit-code table, and nothing more", () => {
    expect(documentedCodes().sort((a, b) => a - b)).toEqual(
      [...new Set(Object.values(ExitCode))].sort((a, b) => a - b),
    );
  });

  it("should give a second Ctrl-C the shell's SIGINT code", () => {
    expect(ExitCode.Forced).toBe(130);
  });
});
