/**
 * The nemesis's account of its faults, as `results.json` records it under `faults` (when the run wrote one): how
 * many windows the schedule had, how many were applied, failed or skipped, and why each failure happened.
 */
export interface FaultSummary {
  scheduled: number;
  applied: number;
  failed: number;
  skipped: number;
  /** Each failure in words (`kill-leader at 3.012 s: no leader to kill now`). */
  failures: string[];
}

/**
 * Reads `results.json`'s `faults` field: `undefined` when the run has none (older runs, `faultline check` on a bare
 * history) or when it is not the expected shape (a report never fails over its input).
 *
 * @example
 * faultSummary({ scheduled: 3, applied: 2, failed: 1, skipped: 0, failures: [{ fault: "kill-leader", time: 3.012e9, error: "…" }] });
 */
export function faultSummary(v: unknown): FaultSummary | undefined {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return undefined;
  const r = v as Record<string, unknown>;
  const n = (k: string): number | undefined =>
    typeof r[k] === "number" && Number.isFinite(r[k]) ? (r[k] as number) : undefined;
  const scheduled = n("scheduled");
  const applied = n("applied");
  const failed = n("failed");
  const skipped = n("skipped");
  if (scheduled === undefined || applied === undefined || failed === undefined || skipped === undefined)
    return undefined;
  const failures = Array.isArray(r.failures) ? r.failures.map(failureWords) : [];
  return { scheduled, applied, failed, skipped, failures };
}

/** One failure in words, whatever fields it has: its window and fault, when, and the reason. */
function failureWords(f: unknown): string {
  if (typeof f === "string") return f;
  if (f === null || typeof f !== "object") return String(f);
  const r = f as Record<string, unknown>;
  const text = (...keys: string[]): string | undefined => {
    for (const k of keys) if (typeof r[k] === "string" && r[k] !== "") return r[k] as string;
    return undefined;
  };
  // `time` is the history's clock (ns since the run started), as results.json records a failure's.
  const at = typeof r.time === "number" ? r.time / 1e6 : typeof r.atMs === "number" ? r.atMs : undefined;
  const what = [text("window", "id"), text("fault", "name", "f")].filter(Boolean).join(" ");
  const when = at === undefined ? "" : ` at ${(at / 1000).toFixed(3)} s`;
  const why = text("error", "reason", "message") ?? "no reason recorded";
  return `${what || "a fault"}${when}: ${why}`;
}
