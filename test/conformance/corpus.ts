/**
 * Reading the reference corpora kept in the repository (`test/fixtures/corpus/`, byte-for-byte copies; see its
 * NOTICE.md): porcupine's histories converted to `history.jsonl`, and Jepsen's, Knossos's and Elle's own EDN files.
 * Used by the conformance script, the corpus tests and the benchmark (histories are parsed with `checkers/history`).
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** One porcupine manifest entry: a file, the model to check it with and the expected verdict. */
export interface CorpusEntry {
  file: string;
  model: string;
  expected: "valid" | "invalid";
  ops: number;
}

/**
 * One Jepsen manifest entry (`jepsen/manifest.json`; its README describes the fields): a file, the checker, model,
 * initial state or consistency model Knossos's or Elle's own tests use for it, and the verdict they expect.
 */
export interface JepsenCorpusEntry {
  file: string;
  checker: "linearizable" | "list-append";
  model?: string;
  initial?: unknown;
  consistency?: string;
  expected: "valid" | "invalid";
  anomaliesAtLeast?: string[];
  anomaliesExactly?: string[];
  source?: string;
  notes?: string;
}

/** The corpora's folder in the repository: `test/fixtures/corpus`. */
export const corporaDir = resolve(join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "corpus"));

/** The porcupine corpus directory: `test/fixtures/corpus/porcupine`, or `$FAULTLINE_CORPUS`. */
export const corpusDir = process.env.FAULTLINE_CORPUS ?? join(corporaDir, "porcupine");

/** The Jepsen corpus directory: `test/fixtures/corpus/jepsen`. */
export const jepsenCorpusDir = join(corporaDir, "jepsen");

function readJson(path: string, what: string): unknown {
  if (!existsSync(path)) {
    throw new Error(
      `${what} corpus not found: ${path} does not exist (the corpora live in test/fixtures/corpus; FAULTLINE_CORPUS may point elsewhere for porcupine's)`,
    );
  }
  return JSON.parse(readFileSync(path, "utf8"));
}

/** The porcupine manifest's entries; throws naming the path when the corpus is absent. */
export function readManifest(dir = corpusDir): CorpusEntry[] {
  return readJson(join(dir, "manifest.json"), "porcupine") as CorpusEntry[];
}

/** The Jepsen manifest's entries; throws naming the path when the corpus is absent. */
export function readJepsenManifest(dir = jepsenCorpusDir): JepsenCorpusEntry[] {
  return readJson(join(dir, "manifest.json"), "jepsen") as JepsenCorpusEntry[];
}

/** The text of one porcupine corpus file. */
export function readCorpusText(file: string, dir = corpusDir): string {
  return readFileSync(join(dir, file), "utf8");
}
