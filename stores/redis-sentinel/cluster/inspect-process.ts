import { readFileSync } from "node:fs";
import type { ProcessInspection } from "../../../core/cluster/index.js";

/**
 * Reads a local process's state (`/proc/<pid>/stat` field 3: `T`/`t` stopped, `Z` zombie) and the `LD_PRELOAD`
 * it was started with (`/proc/<pid>/environ`, which the process cannot change afterwards; Redis keeps it
 * readable with `set-proc-title no`). `undefined` when the process is gone.
 *
 * @example
 * inspectProcess(4242); // { pid: 4242, state: "stopped", preload: [] }
 */
export function inspectProcess(pid: number): ProcessInspection | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // The command name (field 2) may hold spaces and parentheses: the state follows the last ")".
  const code = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
  const state = code === "T" || code === "t" ? "stopped" : code === "Z" ? "zombie" : "running";
  let preload: string[] = [];
  try {
    const entry = readFileSync(`/proc/${pid}/environ`, "latin1")
      .split("\0")
      .find((e) => e.startsWith("LD_PRELOAD="));
    if (entry)
      preload = entry
        .slice("LD_PRELOAD=".length)
        .split(/[:\s]+/)
        .filter((p) => p !== "");
  } catch {
    // not readable: nothing known to be preloaded
  }
  return { pid, state, preload };
}
