import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as checkers from "../../checkers/index.js";
import * as faultline from "../../index.js";

const root = join(import.meta.dirname, "..", "..");
const example = join(root, "examples", "checkers", "check-a-history.ts");

/** The README's code block that follows the heading `### Checking a history from your own code`. */
function readmeExample(): string {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("### Checking a history from your own code"));
  const m = /```ts\n([\s\S]*?)```/.exec(section);
  if (!m) throw new Error("README: no ts block under '### Checking a history from your own code'");
  return m[1];
}

describe("faultline/checkers", () => {
  afterEach(() => vi.restoreAllMocks());

  it("should run the README's example as written and print what its comments say", async () => {
    expect(readmeExample()).toBe(readFileSync(example, "utf8"));
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    await import("../../examples/checkers/check-a-history.js");
    const printed = log.mock.calls.map((args) => args[0] as unknown);
    expect(printed).toHaveLength(4);
    expect(printed[0]).toBe(false);
    expect(printed[1]).toMatch(
      /read → 0 — op 4 \(process 2, invoked at 40 ns, returned at 50 ns\) — cannot be linearized/,
    );
    expect(printed[2]).toBe(true);
    expect(printed[3]).toEqual(["G2-item"]);
  });

  it("should export every checker, the models and the registry, and the main ones from faultline too", () => {
    for (const name of [
      "checkLinearizable",
      "checkListAppend",
      "checkSet",
      "checkSetFull",
      "checkCounter",
      "checkStats",
      "checkStaleness",
      "checkSplitBrain",
      "createModel",
      "models",
      "withSemantics",
      "runCheckers",
      "prepareCheckers",
      "fromJepsenEdn",
      "parseHistory",
      "readHistory",
      "CONSISTENCY_MODELS",
      "SEMANTICS",
    ]) {
      expect(checkers, name).toHaveProperty(name);
    }
    for (const name of [
      "checkLinearizable",
      "checkListAppend",
      "createModel",
      "runCheckers",
      "parseHistory",
    ]) {
      expect(faultline[name as keyof typeof faultline], name).toBe(checkers[name as keyof typeof checkers]);
    }
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
      exports: Record<string, { import: string }>;
    };
    expect(pkg.exports["./checkers"].import).toBe("./dist/checkers/index.js");
  });
});
