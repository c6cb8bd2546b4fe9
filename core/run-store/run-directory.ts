import { existsSync, readFileSync, renameSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { ensureWritableDirectory } from "../user-paths/index.js";

/** A run's directory (DESIGN.md "Verdicts, outputs, exit codes"). */
export interface RunDirectory {
  /** Absolute path: `<storeDir>/<test-name>/<timestamp>`. */
  path: string;
  /** Unique id of the run: `<test-name>/<timestamp>`, used to tag its processes. */
  runId: string;
  /** Files in it, by role. */
  files: {
    config: string;
    history: string;
    results: string;
    report: string;
    junit: string;
    nodes: string;
  };
}

/**
 * Creates `store/<test-name>/<timestamp>/` (Jepsen's layout) and points `store/latest` at it. The timestamp is
 * UTC to the millisecond (`20261126T054201.123Z`); a clash gets a `-2`, `-3` suffix. A store that cannot be a
 * writable directory (under `/proc`, `/sys` or `/dev`, below a file, not writable) is refused with an InputError
 * (`UNUSABLE_DIRECTORY`, exit 254) naming it, before anything is created.
 *
 * @example
 * const dir = createRunDirectory({ storeDir: "store", testName: "set-partition-leader", now: new Date() });
 * dir.files.history; // /…/store/set-partition-leader/20261126T054201.123Z/history.jsonl
 */
export function createRunDirectory(options: {
  storeDir: string;
  testName: string;
  now: Date;
  /** How the user named the store, for messages (default `--store-dir`). */
  label?: string;
}): RunDirectory {
  const label = options.label ?? "--store-dir";
  const store = ensureWritableDirectory(options.storeDir, { label });
  const stamp = timestamp(options.now);
  let name = stamp;
  for (let i = 2; existsSync(join(store, options.testName, name)); i++) name = `${stamp}-${i}`;
  const path = join(store, options.testName, name);
  ensureWritableDirectory(join(path, "nodes"), { label });
  pointLatest(store, path);
  return {
    path,
    runId: `${options.testName}/${name}`,
    files: {
      config: join(path, "config.json"),
      history: join(path, "history.jsonl"),
      results: join(path, "results.json"),
      report: join(path, "report.html"),
      junit: join(path, "junit.xml"),
      nodes: join(path, "nodes"),
    },
  };
}

/** `20261126T054201.123Z` */
export function timestamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, "");
}

/** Writes pretty JSON with a trailing newline, atomically (write then rename), so readers never see half a file. */
export function writeJsonFile(path: string, data: unknown): void {
  writeTextFile(path, JSON.stringify(data, null, 2) + "\n");
}

/** Writes `text` atomically (write then rename), so readers never see half a file. */
export function writeTextFile(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/**
 * A JSON file's top-level object, or `undefined` when the file is missing, unreadable, not JSON or not an object
 * (callers then simply know less: fewer settings in a report, no verdict in the store's index).
 */
export function readJsonObject(path: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(readFileSync(path, "utf8"));
    return typeof v === "object" && v !== null && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Points `<store>/latest` at `path` (a relative symlink, replaced atomically). */
export function pointLatest(store: string, path: string): void {
  const link = join(store, "latest");
  const tmp = join(store, `.latest-${process.pid}`);
  try {
    unlinkSync(tmp);
  } catch {
    // no leftover
  }
  symlinkSync(relative(store, path), tmp);
  renameSync(tmp, link);
}
