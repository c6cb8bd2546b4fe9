import { realpathSync, statSync, type Stats } from "node:fs";
import { resolve } from "node:path";
import { InputError } from "../errors/index.js";
import { kindOf } from "./file-kind.js";
import { pseudoFileSystem } from "./pseudo-file-system.js";
import type { UserPathOptions } from "./writable-directory.js";

/** What a path read as input must be. */
export type InputKind = "file" | "directory" | "file-or-directory";

/**
 * Makes sure `path`, given by the user to be read (a config or schedule file, a history, a store to serve), is an
 * existing regular file or directory as `kind` asks, on ordinary storage, and returns its absolute path and stats;
 * otherwise throws an {@link InputError} (`UNUSABLE_INPUT`, exit 254) naming it. Devices and named pipes are
 * refused (`/dev/zero` never ends, a pipe blocks forever), and so is anything under `/proc`, `/sys` or `/dev`
 * (serving `/proc` would hand out every process's environment).
 *
 * @example
 * assertReadableInput("run.yaml", { label: "--config", kind: "file-or-directory" }); // { path: "/…/run.yaml", stats }
 * assertReadableInput("/dev/zero", { label: "--config", kind: "file" });             // throws: … a character device
 */
export function assertReadableInput(
  path: string,
  o: UserPathOptions & { kind: InputKind },
): { path: string; stats: Stats } {
  const target = resolve(path);
  const fail = (reason: string, cause?: unknown): never => {
    throw new InputError("UNUSABLE_INPUT", `${o.label}: cannot read ${target}: ${reason}`, {
      details: { flag: o.label, path: target, reason },
      hint: `point ${o.label} at ${o.kind === "directory" ? "a directory" : o.kind === "file" ? "a regular file" : "a regular file or a directory"} on ordinary storage`,
      ...(cause === undefined ? {} : { cause }),
    });
  };
  let stats: Stats;
  let real: string;
  try {
    stats = statSync(target);
    real = realpathSync(target);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return fail(
      code === "ENOENT" || code === "ENOTDIR" ? "no such file or directory" : String((err as Error).message),
      err,
    );
  }
  const pseudo = pseudoFileSystem(real);
  if (pseudo !== undefined) return fail(pseudo);
  const ok = (stats.isFile() && o.kind !== "directory") || (stats.isDirectory() && o.kind !== "file");
  if (!ok) {
    const wanted =
      o.kind === "directory"
        ? "a directory"
        : o.kind === "file"
          ? "a regular file"
          : "a regular file or a directory";
    return fail(`it is ${kindOf(stats)}, not ${wanted}`);
  }
  return { path: target, stats };
}
