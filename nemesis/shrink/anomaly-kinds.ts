/**
 * The anomaly kinds a run's checker results show, as `<checker>:<kind>` (`set:lost`, `linearizable:nonlinearizable`),
 * sorted and unique: what "the same failure" means when a run is shrunk. A checker that says `valid: false`
 * without listing anomalies counts as `<checker>:invalid`; valid and unknown results add nothing.
 *
 * @example
 * anomalyKinds({ set: { valid: false, anomalies: [{ kind: "lost", … }] }, stats: { valid: true } }); // ["set:lost"]
 */
export function anomalyKinds(results: Readonly<Record<string, unknown>>): string[] {
  const kinds = new Set<string>();
  for (const [checker, result] of Object.entries(results)) {
    const r = result as { valid?: unknown; anomalies?: unknown } | null;
    if (r?.valid !== false) continue;
    const listed = Array.isArray(r.anomalies)
      ? r.anomalies.flatMap((a) => {
          const kind = (a as { kind?: unknown } | null)?.kind;
          return typeof kind === "string" ? [kind] : [];
        })
      : [];
    if (listed.length === 0) kinds.add(`${checker}:invalid`);
    for (const k of listed) kinds.add(`${checker}:${k}`);
  }
  return [...kinds].sort();
}
