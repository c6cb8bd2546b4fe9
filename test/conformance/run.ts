/**
 * `npm run conformance`: checks every history of the porcupine corpus with the model its manifest names and
 * compares the verdict with the expected one. Prints one line per file (verdict, expected, parse and check
 * time) and exits 1 if any verdict differs, 254 if the corpus cannot be read.
 */
import { parseHistory } from "../../checkers/history/index.js";
import { checkLinearizable, isModelName } from "../../checkers/linearizable/index.js";
import { readCorpusText, readManifest } from "./corpus.js";
import type { CorpusEntry } from "./corpus.js";

function verdictOf(valid: boolean | "unknown"): string {
  return valid === true ? "valid" : valid === false ? "invalid" : "unknown";
}

function main(): number {
  let manifest: CorpusEntry[];
  try {
    manifest = readManifest();
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    return 254;
  }
  const rows: string[][] = [["file", "model", "ops", "verdict", "expected", "parse ms", "check ms", ""]];
  let mismatches = 0;
  let totalCheck = 0;
  for (const entry of manifest) {
    if (!isModelName(entry.model)) {
      rows.push([entry.file, entry.model, String(entry.ops), "—", entry.expected, "", "", "UNKNOWN MODEL"]);
      mismatches++;
      continue;
    }
    const t0 = performance.now();
    const { history } = parseHistory(readCorpusText(entry.file), { source: entry.file });
    const t1 = performance.now();
    const result = checkLinearizable(history, { model: entry.model, timeLimitMs: 60_000 });
    const t2 = performance.now();
    totalCheck += t2 - t1;
    const verdict = verdictOf(result.valid);
    const same = verdict === entry.expected;
    if (!same) mismatches++;
    rows.push([
      entry.file,
      entry.model,
      String(history.length),
      verdict,
      entry.expected,
      (t1 - t0).toFixed(2),
      (t2 - t1).toFixed(2),
      same ? "ok" : "MISMATCH" + (result.valid === "unknown" ? `: ${result.reason}` : ""),
    ]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows)
    process.stdout.write(
      r
        .map((cell, c) => cell.padEnd(widths[c]))
        .join("  ")
        .trimEnd() + "\n",
    );
  process.stdout.write(
    `\n${manifest.length - mismatches} of ${manifest.length} verdicts as expected; checking took ${totalCheck.toFixed(1)} ms in all\n`,
  );
  return mismatches === 0 ? 0 : 1;
}

process.exitCode = main();
