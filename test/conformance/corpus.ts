/**
 * Reading the shared porcupine corpus (`../shared/corpus/porcupine`): the manifest and its histories. A minimal
 * JSON-lines reader, used by the conformance script, the corpus test and the benchmark.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { History, Op } from "../../checkers/history/index.js";

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

/** Parses `history.jsonl` text: one op per non-empty line; throws naming the line. */
export function parseJsonl(text: string): History {
  const ops: Op[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === "") continue;
    try {
      ops.push(JSON.parse(line) as Op);
    } catch (err) {
      throw new Error(`line ${i + 1}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return ops;
}
