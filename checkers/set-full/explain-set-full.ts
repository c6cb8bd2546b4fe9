import { canonicalJson } from "../core/elements.js";
import { formatNs } from "../core/outcome-counts.js";
import type { Anomaly } from "../core/result.js";
import type { At, SetFullDetails } from "./set-full-result.js";

const SHOWN = 10;

/** The anomalies of a set-full result, each explained with the ops and times involved (at most 10 examples each). */
export function explainSetFull(d: SetFullDetails, linearizable: boolean, readF: string): Anomaly[] {
  const out: Anomaly[] = [];
  const el = (v: unknown): string => canonicalJson(v);
  const when = (a: At): string => `op ${a.op} at ${formatNs(a.time)}`;
  const list = <T>(xs: T[], say: (x: T) => string): string =>
    xs.slice(0, SHOWN).map(say).join("; ") + (xs.length > SHOWN ? `; and ${xs.length - SHOWN} more` : "");

  if (d.lostCount > 0) {
    out.push({
      kind: "lost",
      explanation:
        `${d.lostCount} element(s) lost: known to be in the set, then missing from every ${readF} that began later: ` +
        list(d.lost, (l) => {
          const seen = l.lastSeen ? `last seen by the ${readF} invoked as ${when(l.lastSeen)}` : "never seen";
          return (
            `${el(l.element)} (known since ${when(l.known!)}; ${seen}; missing from the ${readF} invoked as ` +
            `${when(l.firstMissing)}${l.missingReads > 1 ? ` and the ${l.missingReads - 1} after it` : ""})`
          );
        }),
      ops: d.lost.map((l) => l.known!.op),
      elements: d.lost.map((l) => l.element),
    });
  }
  if (linearizable && d.staleCount > 0) {
    out.push({
      kind: "stale-read",
      explanation:
        `${d.staleCount} element(s) missed by a ${readF} that began after they were known (stale reads; not ` +
        `linearizable): ` +
        list(
          d.stale,
          (s) => `${el(s.element)} (known since ${when(s.known!)}; missed by ${when(s.lastAbsent!)})`,
        ),
      ops: d.stale.map((s) => s.lastAbsent!.op),
      elements: d.stale.map((s) => s.element),
    });
  }
  if (d.duplicatedCount > 0) {
    out.push({
      kind: "duplicated",
      explanation:
        `${d.duplicatedCount} time(s) a ${readF} returned an element more than once: ` +
        list(
          d.duplicated,
          (x) => `the ${readF} invoked as op ${x.op} returned ${el(x.element)} ${x.copies} times`,
        ),
      ops: d.duplicated.map((x) => x.op),
      elements: d.duplicated.map((x) => x.element),
    });
  }
  if (d.failedButPresentCount > 0) {
    out.push({
      kind: "failed-but-present",
      explanation:
        `${d.failedButPresentCount} element(s) read although every add of them failed: ` +
        list(
          d.failedButPresent,
          (x) => `${el(x.element)} (add op ${x.op} failed at op ${x.failedAt}; read by ${when(x.firstSeen)})`,
        ),
      ops: d.failedButPresent.flatMap((x) => [x.op, x.firstSeen.op]),
      elements: d.failedButPresent.map((x) => x.element),
    });
  }
  if (d.unexpectedCount > 0) {
    out.push({
      kind: "unexpected",
      explanation:
        `${d.unexpectedCount} element(s) returned by a ${readF} before any add of them had been invoked: ` +
        list(
          d.unexpected,
          (x) =>
            `${el(x.element)} (${x.why === "never-added" ? "never added" : "added only later"}; first returned by ` +
            `the ${readF} invoked as ${when(x.read)})`,
        ),
      ops: d.unexpected.map((x) => x.read.op),
      elements: d.unexpected.map((x) => x.element),
    });
  }
  return out;
}
