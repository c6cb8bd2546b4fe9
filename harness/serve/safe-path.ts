import { realpathSync } from "node:fs";
import { posix, resolve, sep } from "node:path";

/** Why a URL path could not be mapped to a file of the store. */
export type PathProblem = { status: 400 | 403 | 404; message: string };

/**
 * Maps a URL path (below `/files/`) to a file inside `root`, or says why not: 400 for a malformed path (bad
 * percent-encoding, a NUL byte), 404 when nothing is there, 403 when it would leave the root — through `..`,
 * an absolute path, or a symbolic link that points outside (the real path is checked, not the spelling).
 *
 * @example
 * resolveInside("/srv/store", "set/20261126T07/report.html"); // { path: "/srv/store/set/20261126T07/report.html" }
 * resolveInside("/srv/store", "..%2F..%2Fetc%2Fpasswd");      // { status: 403, … }
 */
export function resolveInside(root: string, urlPath: string): { path: string } | PathProblem {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { status: 400, message: "malformed percent-encoding in the path" };
  }
  if (decoded.includes("\0")) return { status: 400, message: "NUL byte in the path" };
  const parts = decoded.split(/[\\/]+/).filter((p) => p !== "" && p !== ".");
  if (parts.includes("..")) return { status: 403, message: "the path leaves the store" };
  let rootReal: string;
  try {
    rootReal = realpathSync(root);
  } catch {
    return { status: 404, message: "the store does not exist" };
  }
  const candidate = resolve(rootReal, posix.join(...(parts.length > 0 ? parts : ["."])));
  let real: string;
  try {
    real = realpathSync(candidate);
  } catch {
    return { status: 404, message: "no such file in the store" };
  }
  if (real !== rootReal && !real.startsWith(rootReal + sep)) {
    return { status: 403, message: "the path leads out of the store" };
  }
  return { path: real };
}
