/**
 * Issue 15, problem 8: units and names of config files and flags agree. `--time-limit 300` is 300 s, so a bare
 * `timeLimit: 300` in a hand-written file (which read as 300 ms) is refused naming the field; a store setting at a
 * file's top level (`followers:`, as the flag `--followers`) is refused pointing to `store.followers`.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { cellConfig, expandMatrix, parseCampaign } from "../../harness/campaign/index.js";
import { loadConfigFile, resolveRunConfig } from "../../harness/config/index.js";
import { configRecord } from "../../harness/runner/config-record.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Writes `text` to a fresh file named `name` and returns its path. */
function file(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "faultline-units-"));
  dirs.push(dir);
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** The problems of a configuration the resolver refuses (exit 254), or a failed expectation. */
function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    return ((err as { details?: { problems?: string[] } }).details?.problems ?? []).slice();
  }
  throw new Error("expected the configuration to be refused");
}

const seed = () => 1;

describe("a config file's durations", () => {
  it("should refuse a bare number, naming the field, the flag's reading and what to write", () => {
    const path = file("run.yaml", "timeLimit: 300\nstore:\n  downAfter: 5\n");
    expect(problems(() => resolveRunConfig({ file: loadConfigFile(path), freshSeed: seed }))).toEqual([
      `field "timeLimit" in ${path}: a bare number is ambiguous (--time-limit 300 means 300 s, config.json holds ms): write "300s" or "300ms"`,
      `field "store.downAfter" in ${path}: a bare number is ambiguous (--down-after 5 means 5 s, config.json holds ms): write "5s" or "5ms"`,
    ]);
  });

  it("should read a duration with a unit, or a quoted bare number, as the flag reads it", () => {
    const path = file("run.yaml", 'timeLimit: "300"\nopTimeout: 1.5s\nquietPeriod: 0\n');
    const fromFile = resolveRunConfig({ file: loadConfigFile(path), freshSeed: seed });
    const fromFlags = resolveRunConfig({
      flags: { timeLimit: "300", opTimeout: "1.5s", quietPeriod: "0" },
      freshSeed: seed,
    });
    expect(fromFile.timeLimit).toBe(300_000);
    expect(fromFile.timeLimit).toBe(fromFlags.timeLimit);
    expect(fromFile.opTimeout).toBe(fromFlags.opTimeout);
    // 0 is the same in every unit: accepted bare.
    expect(fromFile.quietPeriod).toBe(0);
  });

  it("should replay a run's config.json, whose durations are ms, as it was run", () => {
    const first = resolveRunConfig({ flags: { timeLimit: "7s", downAfter: "1500ms" }, freshSeed: seed });
    const path = file("config.json", JSON.stringify(configRecord(first, [], { id: "set-none/1" })));
    const replayed = resolveRunConfig({ file: loadConfigFile(path), freshSeed: () => 2 });
    expect(replayed.timeLimit).toBe(7000);
    expect(replayed.store).toMatchObject({ downAfter: 1500 });
    expect(replayed).toEqual(first);
  });

  it("should refuse a bare number in a campaign's shared run settings", () => {
    const c = parseCampaign("name: c\nrun: { timeLimit: 8 }\n", "c.yaml");
    const cell = expandMatrix(c, 1)[0]!;
    expect(
      problems(() =>
        resolveRunConfig({
          file: { path: "c.yaml (run 1)", data: cellConfig(c, cell, "runs"), bareDurations: "refused" },
          freshSeed: seed,
        }),
      ),
    ).toEqual([
      `field "timeLimit" in c.yaml (run 1): a bare number is ambiguous (--time-limit 8 means 8 s, config.json holds ms): write "8s" or "8ms"`,
    ]);
  });
});

describe("a config file's field names", () => {
  it("should point a store setting at the top level to its field under store", () => {
    const path = file("run.yaml", "followers: 4\nstore:\n  concurrency: 2\n");
    expect(problems(() => resolveRunConfig({ file: loadConfigFile(path), freshSeed: seed }))).toEqual([
      `field "store.concurrency" in ${path}: unknown field (it is the field concurrency, which --concurrency sets: write concurrency: 2)`,
      `field "followers" in ${path}: unknown field (it is the field store.followers, which --followers sets: write store: { followers: 4 })`,
    ]);
    // Where it belongs, it is the flag's setting.
    const right = file("run.yaml", "store:\n  followers: 4\n");
    expect(resolveRunConfig({ file: loadConfigFile(right), freshSeed: seed }).store).toMatchObject({
      followers: 4,
    });
  });

  it("should name an unknown field that is no flag's field without a suggestion", () => {
    const path = file("run.yaml", "concurency: 5\n");
    expect(problems(() => resolveRunConfig({ file: loadConfigFile(path), freshSeed: seed }))).toEqual([
      `field "concurency" in ${path}: unknown field`,
    ]);
  });
});
