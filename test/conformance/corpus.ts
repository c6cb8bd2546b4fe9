/**
 * Reading the shared porcupine corpus (`../shared/corpus/porcupine`): the manifest and its files, for the
 * conformance script, the corpus test and the benchmark (histories are parsed with `checkers/history`).
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** One manifest entry: a file, the model to check it with and the expected verdict. */
export interface CorpusEntry {
  file: string;
  model: string;
  expected: "valid" | "invalid";
  ops: number;
}

/** The corpus directory: `../shared/corpus/porcupine` from the repository root, or `$FAULTLINE_CORPUS`. */
export const corpusDir =
  process.env.FAULTLINE_CORPUS ??
  resolve(join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "shared", "corpus", "porcupine"));

/** The manifest's entries; throws naming the path when the corpus is absent. */
export function readManifest(dir = corpusDir): CorpusEntry[] {
  const path = join(dir, "manifest.json");
  if (!existsSync(path)) {
    throw new Error(
      `porcupine corpus not found: ${path} does not exist (expected ../shared/corpus/porcupine next to the repository, or set FAULTLINE_CORPUS)`,
    );
  }
  return JSON.parse(readFileSync(path, "utf8")) as CorpusEntry[];
}

/** The text of one corpus file. */
export function readCorpusText(file: string, dir = corpusDir): string {
  return readFileSync(join(dir, file), "utf8");
}
