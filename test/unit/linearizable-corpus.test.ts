import { describe, expect, it } from "vitest";
import { parseHistory } from "../../checkers/history/index.js";
import { checkLinearizable, isModelName } from "../../checkers/linearizable/index.js";
import { corpusDir, readCorpusText, readManifest } from "../conformance/corpus.js";

/**
 * Every history of the porcupine corpus (`test/fixtures/corpus/porcupine`) gets the
 * verdict its manifest expects. A missing corpus fails with the path it looked at: it is never skipped.
 */
describe("checkLinearizable", () => {
  it("should give every porcupine corpus history its expected verdict", () => {
    const manifest = readManifest(); // throws "porcupine corpus not found: …" when absent
    expect(manifest.length, `no entries in ${corpusDir}/manifest.json`).toBeGreaterThanOrEqual(24);
    const verdicts = manifest.map((entry) => {
      if (!isModelName(entry.model)) return { file: entry.file, got: `unknown model ${entry.model}` };
      const { history } = parseHistory(readCorpusText(entry.file), { source: entry.file });
      const r = checkLinearizable(history, { model: entry.model, timeLimitMs: 60_000 });
      return {
        file: entry.file,
        got: r.valid === true ? "valid" : r.valid === false ? "invalid" : "unknown",
      };
    });
    expect(verdicts).toEqual(manifest.map((e) => ({ file: e.file, got: e.expected })));
  });
});
