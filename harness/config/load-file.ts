import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { InputError } from "../../core/errors/index.js";
import { assertReadableInput } from "../../core/user-paths/index.js";

/**
 * Reads a run configuration file: JSON or YAML (YAML is a superset, so one parser reads both), or a run
 * directory, meaning its `config.json` (so `--config store/latest` replays the latest run). Errors name the
 * file and, for syntax errors, the line.
 */
export function loadConfigFile(path: string): { path: string; data: unknown } {
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
    return { path: file, data: parseYaml(text) as unknown };
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
