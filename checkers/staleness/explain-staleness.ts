import { formatNs } from "../core/outcome-counts.js";
import type { Anomaly } from "../core/result.js";
import type { SessionViolation, StalenessOptions } from "./staleness-result.js";

const show = (v: number): string => (v === 0 ? "nothing (null)" : `version ${v}`);

/** One anomaly per violation, in words: which session, key, read, version and the op it contradicts. */
export function explainViolations(violations: SessionViolation[], options: StalenessOptions): Anomaly[] {
  return violations.map((x) => {
    const read =
      `session ${x.process}'s read of key ${JSON.stringify(x.key)} invoked as op ${x.op} at ${formatNs(x.time)}` +
      (x.node === undefined ? "" : ` (served by ${x.node})`) +
      ` returned ${show(x.version)}`;
    let explanation: string;
    switch (x.kind) {
      case "monotonic-reads":
        explanation =
          `${read}, older than the ${show(x.earlier!.version)} its earlier read (op ${x.earlier!.op}) returned: ` +
          `${show(x.version)} was acknowledged before ${show(x.earlier!.version)} was even written, so the session ` +
          `went back in time (monotonic reads broken)`;
        break;
      case "read-your-writes":
        explanation =
          `${read}, although the session had itself written ${show(x.earlier!.version)} (op ${x.earlier!.op}, ` +
          `acknowledged), which certainly follows ${show(x.version)} (read-your-writes broken)`;
        break;
      case "unwritten-read":
        explanation = `${read}, which no write had produced by then (never written, written later, or failed)`;
        break;
      case "staleness-bound": {
        const bounds = [
          options.maxVersionsBehind != null ? `at most ${options.maxVersionsBehind} versions behind` : "",
          options.maxStalenessMs != null ? `at most ${options.maxStalenessMs} ms stale` : "",
        ].filter(Boolean);
        explanation =
          `${read}, ${x.versionsBehind} version(s) behind and stale by ${x.stalenessMs} ms; the bound is ` +
          bounds.join(" and ");
        break;
      }
    }
    const ops = x.earlier ? [x.earlier.op, x.op] : [x.op];
    return { kind: x.kind, explanation, ops, violation: x };
  });
}
