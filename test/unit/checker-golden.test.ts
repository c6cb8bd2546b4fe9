import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseHistory } from "../../checkers/history/index.js";
import { checkerNames, runChecker } from "../../checkers/registry/index.js";

const dir = join(import.meta.dirname, "..", "fixtures", "histories");
/** My checkers' goldens; other checkers' fixtures in the same folder are judged by their own suites. */
const mine = ["set", "set-full", "counter", "stats", "staleness", "split-brain"];
const files = readdirSync(dir)
  .filter((f) => /-(ok|bad)\.jsonl$/.test(f))
  .map((f) => {
    // The checker is the longest registered name the file starts with: set-full-lost-bad is set-full's, not set's.
    const name = checkerNames()
      .filter((n) => f.startsWith(`${n}-`))
      .sort((a, b) => b.length - a.length)[0];
    return { file: f, name, expected: f.endsWith("-ok.jsonl") };
  })
  .filter((x) => x.name !== undefined && mine.includes(x.name));

describe("golden histories", () => {
  it("should have a valid and an invalid golden for each checker", () => {
    for (const name of mine) {
      const verdicts = files.filter((f) => f.name === name).map((f) => f.expected);
      expect(verdicts, name).toContain(true);
      expect(verdicts, name).toContain(false);
    }
  });

  it.each(files)("should give $file the verdict in its name", ({ file, name, expected }) => {
    const { history } = parseHistory(readFileSync(join(dir, file), "utf8"), { source: file });
    const r = runChecker({ name: name! }, history);
    expect(r.valid, JSON.stringify(r, null, 1).slice(0, 2000)).toBe(expected);
    if (r.valid === false) expect(r.anomalies.length).toBeGreaterThan(0);
  });
});
