import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { InputError } from "../../core/errors/index.js";
import { assertReadableInput } from "../../core/user-paths/index.js";

/**
 * Reads a run configuration file: JSON or YAML (YAML is a superset, so one parser reads both), or a run
 * directory, meaning its `config.json` (so `--config store/latest` replays the latest run). Errors name the
 * file and, for syntax errors, the line. A `config.json` faultline wrote (it has a `run` record) holds durations
 * in ms; in any other file a bare number in a duration field is refused as ambiguous (`bareDurations`).
 */
export function loadConfigFile(path: string): {
  path: string;
  data: unknown;
  bareDurations: "ms" | "refused";
} {
  let file = path;
  try {
    if (statSync(path).isDirectory()) file = join(path, "config.json");
  } catch {
    throw new InputError("CONFIG_NOT_FOUND", `--config: no such file or directory: ${path}`, {
      details: { path },
    });
  }
  // A device, a pipe or a kernel file (/dev/zero, /proc/…) would never end or block forever: refused, named.
  assertReadableInput(file, { label: "--config", kind: "file" });
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new InputError("CONFIG_NOT_FOUND", `--config: cannot read ${file}: ${(err as Error).message}`, {
      details: { path: file },
    });
  }
  try {
    const data = parseYaml(text) as unknown;
    return { path: file, data, bareDurations: writtenByFaultline(data) ? "ms" : "refused" };
  } catch (err) {
    throw new InputError(
      "CONFIG_SYNTAX",
      `--config: ${file} is neither JSON nor YAML: ${(err as Error).message}`,
      {
        details: { path: file },
      },
    );
  }
}

/** True for a run's `config.json` as faultline writes it: the settings, and what happened under `run`. */
function writtenByFaultline(data: unknown): boolean {
  if (typeof data !== "object" || data === null || Array.isArray(data)) return false;
  const run = (data as { run?: unknown }).run;
  return typeof run === "object" && run !== null && !Array.isArray(run);
}
