import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { FaultlineError } from "../../core/errors/index.js";
import { ensureWritableDirectory } from "../../core/user-paths/index.js";
import { CLOCK_SHIM_SOURCE } from "./clock-shim-source.js";

const run = promisify(execFile);

/** The file-name stem every built shim has, which is how a heal check recognises it in `LD_PRELOAD`. */
export const CLOCK_SHIM_STEM = "faultline-clock";

/** Options of {@link buildClockShim}. */
export interface BuildClockShimOptions {
  /** Where built shims are kept (default: `<tmpdir>/faultline-clock-shim-<uid>`). */
  readonly cacheDir?: string;
  /** The C compiler (default `$CC`, else `cc`). */
  readonly compiler?: string;
}

const building = new Map<string, Promise<string>>();

/**
 * The path of the clock shim library, built from {@link CLOCK_SHIM_SOURCE} with the system's C compiler on first
 * use and cached by the source's hash (a later faultline with another shim builds its own). Building takes a
 * fraction of a second; concurrent callers share one build, and the file appears atomically. Throws a
 * FaultlineError (`CLOCK_SHIM_UNAVAILABLE`) naming the compiler and its output when it cannot be built.
 *
 * @example
 * const shim = await buildClockShim(); // "/tmp/faultline-clock-shim-0/faultline-clock-3f2a….so"
 */
export function buildClockShim(options: BuildClockShimOptions = {}): Promise<string> {
  const uid = typeof process.getuid === "function" ? process.getuid() : 0;
  const dir = options.cacheDir ?? join(tmpdir(), `faultline-clock-shim-${uid}`);
  const hash = createHash("sha256").update(CLOCK_SHIM_SOURCE).digest("hex").slice(0, 16);
  const library = join(dir, `${CLOCK_SHIM_STEM}-${hash}.so`);
  if (existsSync(library)) return Promise.resolve(library);
  let pending = building.get(library);
  if (!pending) {
    const label = options.cacheDir === undefined ? "the clock shim's cache in $TMPDIR" : "cacheDir";
    pending = compile(dir, label, library, options.compiler ?? process.env.CC ?? "cc").finally(() =>
      building.delete(library),
    );
    building.set(library, pending);
  }
  return pending;
}

async function compile(dir: string, label: string, library: string, compiler: string): Promise<string> {
  // Not a recursive mkdir: with $TMPDIR under /proc that loops forever, deaf to signals. Refused, named, instead.
  ensureWritableDirectory(dir, { label });
  const stem = `${library}.${process.pid}.${Date.now()}`;
  const source = `${stem}.c`;
  const partial = `${stem}.so`;
  writeFileSync(source, CLOCK_SHIM_SOURCE);
  try {
    await run(compiler, ["-shared", "-fPIC", "-O2", "-Wall", "-o", partial, source], { timeout: 60_000 });
    renameSync(partial, library);
    return library;
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    throw new FaultlineError(
      "CLOCK_SHIM_UNAVAILABLE",
      `cannot build the clock shim with ${compiler}: ${e.code === "ENOENT" ? "no such compiler" : (e.stderr ?? e.message).trim()}`,
      {
        details: { compiler, library },
        hint: "clock faults need a C compiler (apt-get install gcc, or set CC); the other faults do not",
        cause: err,
      },
    );
  } finally {
    rmSync(source, { force: true });
    rmSync(partial, { force: true });
  }
}
