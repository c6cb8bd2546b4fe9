/**
 * The one grammar for durations, shared by CLI flags and config files: `500ms`, `30s`, `2m`, `1h`, or a bare
 * number of seconds (`1.5`). Returns milliseconds, or `undefined` when the text is not a duration.
 *
 * @example
 * durationMs("2m"); // 120000
 * durationMs("soon"); // undefined
 */
export function durationMs(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2] ?? "s";
  const factor = unit === "ms" ? 1 : unit === "s" ? 1000 : unit === "m" ? 60_000 : 3_600_000;
  return Math.round(n * factor);
}
