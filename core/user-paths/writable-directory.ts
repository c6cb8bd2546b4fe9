import { accessSync, constants, mkdirSync, realpathSync, statSync, type Stats } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { InputError } from "../errors/index.js";
import { kindOf } from "./file-kind.js";
import { pseudoFileSystem } from "./pseudo-file-system.js";

/** How the user named the path, for messages: `--store-dir`, `storeDir`, `--out`. */
export interface UserPathOptions {
  /** The flag or field the path came from. */
  label: string;
}

/**
 * Makes sure `path` is a directory this process can write to, creating it and any missing parents, and returns it
 * as an absolute path; otherwise throws an {@link InputError} (`UNUSABLE_DIRECTORY`, exit 254) naming the path and
 * why. It walks up to the nearest existing ancestor itself and creates the missing parts one level at a time,
 * never with a recursive `mkdir` (which, under `/proc`, loops forever ignoring signals), and refuses kernel file
 * systems (`/proc`, `/sys`, `/dev`), devices, files in the way and directories it cannot write to.
 *
 * @example
 * ensureWritableDirectory("store", { label: "--store-dir" });      // "/home/me/faultline/store", created if missing
 * ensureWritableDirectory("/proc/nope", { label: "--store-dir" }); // throws: --store-dir: cannot use /proc/nope: …
 */
export function ensureWritableDirectory(path: string, o: UserPathOptions): string {
  const target = resolve(path);
  const fail = (reason: string, cause?: unknown): never => {
    throw new InputError("UNUSABLE_DIRECTORY", `${o.label}: cannot use ${target} as a directory: ${reason}`, {
      details: { flag: o.label, path: target, reason },
      hint: `point ${o.label} at a directory you can write to (it is created if missing)`,
      ...(cause === undefined ? {} : { cause }),
    });
  };
  const { existing, stats, missing } = nearestExisting(target, fail);
  let real: string;
  try {
    real = realpathSync(existing);
  } catch (err) {
    return fail(`cannot resolve ${existing}: ${errorText(err)}`, err);
  }
  const pseudo = pseudoFileSystem(real);
  if (pseudo !== undefined) return fail(pseudo);
  if (!stats.isDirectory()) return fail(`${existing} is ${kindOf(stats)}, not a directory`);
  try {
    accessSync(existing, constants.W_OK | constants.X_OK);
  } catch (err) {
    return fail(`${existing} is not writable by this process (${errorCode(err)})`, err);
  }
  let dir = existing;
  for (const part of missing) {
    dir = join(dir, part);
    try {
      mkdirSync(dir);
    } catch (err) {
      // Another process may create it at the same moment: fine, if it is a directory.
      if (errorCode(err) !== "EEXIST" || !isDirectory(dir))
        return fail(`cannot create ${dir}: ${errorText(err)}`, err);
    }
  }
  return target;
}

/** The nearest existing ancestor of `target` (or itself), its stats, and the names below it still to create. */
function nearestExisting(
  target: string,
  fail: (reason: string, cause?: unknown) => never,
): { existing: string; stats: Stats; missing: string[] } {
  const missing: string[] = [];
  let current = target;
  for (;;) {
    try {
      return { existing: current, stats: statSync(current), missing };
    } catch (err) {
      const code = errorCode(err);
      // ENOTDIR: something above is a file; walk on up to it and say so.
      if (code !== "ENOENT" && code !== "ENOTDIR")
        return fail(`cannot inspect ${current}: ${errorText(err)}`, err);
    }
    const parent = dirname(current);
    if (parent === current) return fail("no part of it exists");
    missing.unshift(basename(current));
    current = parent;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function errorCode(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? "error";
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
