import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The faultline checkout or install this module belongs to (the directory whose package.json is named
 * `faultline`). Found by walking up, so it works from the TypeScript sources and from `dist/` alike.
 */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, "utf8")) as { name?: string }).name === "faultline") return dir;
      } catch {
        // not ours; keep walking
      }
    }
    const up = dirname(dir);
    if (up === dir)
      throw new Error("cannot find faultline's package.json above " + fileURLToPath(import.meta.url));
    dir = up;
  }
}
