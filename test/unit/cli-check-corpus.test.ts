import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../harness/cli/index.js";
import { corpusDir, jepsenCorpusDir, readJepsenManifest, readManifest } from "../conformance/corpus.js";
import type { JepsenCorpusEntry } from "../conformance/corpus.js";
import { tempDir } from "./support/temp-dir.js";

/**
 * The reference corpora through `faultline check`, as a user would run it: every file of Jepsen's, Knossos's and
 * Elle's own histories (`test/fixtures/corpus/jepsen`, unmodified) with the command its manifest entry describes
 * (`--model … --initial …`, `--checker list-append --consistency-model …`), and every porcupine history, must get
 * the verdict (and, for Elle's, the anomaly types) their projects' own tests expect. A missing corpus fails.
 */

/** Runs the CLI in-process, capturing what it prints. */
async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const o = process.stdout.write.bind(process.stdout);
  const e = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string) => (out.push(String(s)), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => (err.push(String(s)), true)) as typeof process.stderr.write;
  try {
    const code = await runCli(argv);
    return { code, out: out.join(""), err: err.join("") };
  } finally {
    process.stdout.write = o;
    process.stderr.write = e;
  }
}

/** The command line the manifest entry describes, as the corpus README writes it. */
function commandOf(e: JepsenCorpusEntry): string[] {
  const file = join(jepsenCorpusDir, e.file);
  if (e.checker === "linearizable") {
    const initial = e.initial === undefined ? [] : ["--initial", JSON.stringify(e.initial)];
    return ["check", file, "--model", String(e.model), ...initial];
  }
  return ["check", file, "--checker", "list-append", "--consistency-model", String(e.consistency)];
}

const EXIT = { valid: 0, invalid: 1 } as const;
const jepsen = readJepsenManifest();

describe("faultline check on Jepsen's own histories", () => {
  it("should have the whole manifest to check", () => {
    expect(jepsen.length).toBeGreaterThanOrEqual(66);
    expect(new Set(jepsen.map((e) => e.checker))).toEqual(new Set(["linearizable", "list-append"]));
  });

  it.each(jepsen.map((e) => [`${e.file} (${e.model ?? e.consistency})`, e] as const))(
    "should give %s the verdict its project's tests expect",
    async (_, entry) => {
      const json = join(tempDir("faultline-corpus-"), "results.json");
      const r = await cli(...commandOf(entry), "--json", json, "--time-limit", "120s");
      expect(r.err).toBe("");
      expect(r.out).toContain("read with Jepsen's semantics");
      expect(r.code).toBe(EXIT[entry.expected]);
      const results = JSON.parse(readFileSync(json, "utf8")) as {
        results: Record<string, { valid: unknown; anomalyTypes?: string[] }>;
      };
      const result = results.results[entry.checker];
      expect(result.valid).toBe(entry.expected === "valid");
      if (entry.anomaliesExactly) expect(result.anomalyTypes).toEqual(entry.anomaliesExactly);
      if (entry.anomaliesAtLeast)
        expect(result.anomalyTypes).toEqual(expect.arrayContaining(entry.anomaliesAtLeast));
    },
    60_000,
  );
});

describe("faultline check on porcupine's histories", () => {
  const porcupine = readManifest();

  it.each(porcupine.map((e) => [e.file, e] as const))(
    "should give %s its expected verdict under faultline's semantics (its format's) and Jepsen's",
    async (_, entry) => {
      const file = join(corpusDir, entry.file);
      const own = await cli("check", file, "--model", entry.model);
      expect(own.out).toContain("read with faultline's semantics");
      expect(own.code).toBe(EXIT[entry.expected]);
      const asJepsen = await cli("check", file, "--model", entry.model, "--semantics", "jepsen");
      expect(asJepsen.out).toContain("read with Jepsen's semantics");
      expect(asJepsen.code).toBe(EXIT[entry.expected]);
    },
    60_000,
  );
});
