import { readFileSync } from "node:fs";

/**
 * The summary's lines for failovers nobody scheduled (`results.json`'s `failovers` with `unscheduled: true`):
 * a leader declared down while it was up and its links healthy, with why. Empty when there were none or the file
 * cannot be read (the summary never fails over it).
 *
 * @example
 * unscheduledFailoverLines("store/latest/results.json");
 * // ["unscheduled failover at 15.283 s: s1 declared n3 down (epoch 3) though it was up: …"]
 */
export function unscheduledFailoverLines(resultsPath: string): string[] {
  let doc: { failovers?: { atMs?: unknown; unscheduled?: unknown; explanation?: unknown }[] };
  try {
    doc = JSON.parse(readFileSync(resultsPath, "utf8")) as typeof doc;
  } catch {
    return [];
  }
  return (doc.failovers ?? [])
    .filter((f) => f.unscheduled === true && typeof f.explanation === "string")
    .map((f) => `unscheduled failover at ${(Number(f.atMs) / 1000).toFixed(3)} s: ${String(f.explanation)}`);
}
