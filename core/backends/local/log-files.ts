import { readdirSync } from "node:fs";
import { join } from "node:path";

/** Node name → the `*.log` files in its directory. */
export function logFilesOf(nodes: readonly { name: string; dir: string }[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const n of nodes) {
    try {
      out.set(
        n.name,
        readdirSync(n.dir)
          .filter((f) => f.endsWith(".log"))
          .map((f) => join(n.dir, f)),
      );
    } catch {
      out.set(n.name, []);
    }
  }
  return out;
}
