import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../../harness/cli/index.js";
import { validateRunResults } from "../../harness/results/index.js";

const fixture = (name: string): string => join(import.meta.dirname, "..", "fixtures", "histories", name);
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Runs the CLI in-process with its output swallowed. */
async function cli(...argv: string[]): Promise<number> {
  const o = process.stdout.write.bind(process.stdout);
  const e = process.stderr.write.bind(process.stderr);
  process.stdout.write = (() => true) as typeof process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    return await runCli(argv);
  } finally {
    process.stdout.write = o;
    process.stderr.write = e;
  }
}

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "faultline-check-out-"));
  dirs.push(d);
  return d;
}

describe("faultline check (outputs)", () => {
  it("should rewrite a run directory's results.json, report.html and junit.xml", async () => {
    const dir = tempDir();
    copyFileSync(fixture("set-lost-bad.jsonl"), join(dir, "history.jsonl"));
    writeFileSync(
      join(dir, "config.json"),
      JSON.stringify({
        testName: "set-partition-leader",
        nemesis: "partition-leader",
        seed: 7,
        checkers: [{ name: "set", options: {} }],
      }),
    );
    writeFileSync(join(dir, "results.json"), JSON.stringify({ seed: 7, runId: "set-partition-leader/1" }));
    expect(await cli("check", dir)).toBe(1);
    const results = JSON.parse(readFileSync(join(dir, "results.json"), "utf8")) as Record<string, unknown>;
    expect(results).toMatchObject({ valid: false, seed: 7, runId: "set-partition-leader/1" });
    expect(validateRunResults(results)).toEqual([]);
    const junit = readFileSync(join(dir, "junit.xml"), "utf8");
    expect(junit).toContain('<testsuite name="set-partition-leader" tests="1" failures="1"');
    expect(junit).toContain('<property name="seed" value="7"/>');
    expect(junit).toMatch(/<failure message="1 acknowledged add\(s\) missing from the final read/);
    const html = readFileSync(join(dir, "report.html"), "utf8");
    expect(html).toContain("<h1>set-partition-leader</h1>");
    expect(html).toContain("INVALID");
  });

  it("should write JUnit XML for a bare history with --junit, and leave report files alone with --json", async () => {
    const dir = tempDir();
    const junit = join(dir, "out.xml");
    expect(
      await cli(
        "check",
        fixture("set-basic-ok.jsonl"),
        "--checker",
        "set,stats",
        "--junit",
        junit,
        "--json",
        join(dir, "r.json"),
      ),
    ).toBe(0);
    const xml = readFileSync(junit, "utf8");
    expect(xml).toContain('<testsuite name="set-basic-ok.jsonl" tests="2" failures="0" errors="0"');
    expect(existsSync(join(dir, "report.html"))).toBe(false);
  });
});
