import type { History, Op } from "../../checkers/history/index.js";
import type { Validity } from "../../checkers/core/index.js";
import { parseFaultOp } from "../../nemesis/core/index.js";

/**
 * A fault in effect from `startMs` (its start was invoked) to `endMs` (its stop completed; `undefined` = still
 * active at the end of the history). Applying a fault takes time (a partition adds many link cuts), so the
 * window opens at the invoke; `appliedMs` is when the start completed.
 */
export interface FaultWindow {
  fault: string;
  startMs: number;
  appliedMs: number;
  endMs: number | undefined;
  /** What the start did (the resolved target, the links cut, the pid killed). */
  detail: unknown;
}

/** Everything the first report shows, computed from the history and the verdict; no HTML here. */
export interface ReportData {
  title: string;
  runDir: string;
  seed: number;
  valid: Validity;
  /** Per checker: validity and a one-line summary. */
  checkers: { name: string; valid: Validity; summary: string }[];
  /** Client op outcomes per f. */
  counts: Record<string, { ok: number; fail: number; info: number }>;
  /** Acknowledged writes missing from the final read: element, when acknowledged (ms), who served it. */
  lost: { element: unknown; ackedMs: number; node: string | undefined }[];
  lostCount: number;
  unexpectedCount: number;
  recoveredCount: number;
  /** Fault windows from the nemesis's start/stop ops. */
  faults: FaultWindow[];
  /** Leader changes as the failover managers reported them (monitor `leader`). */
  leaders: { atMs: number; leader: string | null }[];
  /** Data nodes claiming to be leader (monitor `masters`); two or more at once is split brain. */
  masters: { atMs: number; nodes: string[] }[];
  /** Sentinel events worth a line in the timeline. */
  events: { atMs: number; sentinel: string; event: string; node: string | undefined; text: string }[];
  /** Client outcomes per time bucket, for the throughput strip. */
  buckets: { ms: number; ok: number; fail: number; info: number }[];
  bucketMs: number;
  /**
   * Loss windows: for each fault window with lost writes, from its start to the last lost write acknowledged
   * after it (and before the next one); lost writes acknowledged before any fault get a window of their own.
   */
  lossWindows: { fault: string | undefined; fromMs: number; toMs: number; lost: number }[];
  endMs: number;
}

const KEY_EVENTS = new Set([
  "+sdown",
  "-sdown",
  "+odown",
  "-odown",
  "+try-failover",
  "+elected-leader",
  "+promoted-slave",
  "+switch-master",
  "+failover-end",
  "+failover-end-for-timeout",
  "+convert-to-slave",
  "+tilt",
  "-tilt",
  "-failover-abort-no-good-slave",
]);

/**
 * Builds the report's data from a history and the composed checker results (DESIGN's rule: checking returns
 * data, a separate function renders it).
 *
 * @example
 * const data = buildReportData({ history, results: verdict.results, valid: verdict.valid, title, runDir, seed });
 * const html = renderReportHtml(data);
 */
export function buildReportData(o: {
  history: History;
  results: Record<string, unknown>;
  valid: Validity;
  title: string;
  runDir: string;
  seed: number;
}): ReportData {
  const ms = (op: Op): number => op.time / 1e6;
  const endMs = o.history.length > 0 ? ms(o.history[o.history.length - 1]!) : 0;
  const checkers = Object.entries(o.results).map(([name, r]) => {
    const rec = (r ?? {}) as Record<string, unknown>;
    return { name, valid: rec.valid as Validity, summary: summarize(rec) };
  });
  const set = (o.results.set ?? Object.values(o.results)[0] ?? {}) as Record<string, unknown>;
  const counts = (set.counts ?? {}) as ReportData["counts"];
  const byIndex = new Map(o.history.map((op) => [op.index, op]));
  const lostRaw = Array.isArray(set.lost)
    ? (set.lost as { element: unknown; ackedTime: number; ackedAt: number }[])
    : [];
  const lost = lostRaw.map((l) => ({
    element: l.element,
    ackedMs: l.ackedTime / 1e6,
    node: byIndex.get(l.ackedAt)?.node,
  }));

  const faults: FaultWindow[] = [];
  const open = new Map<string, FaultWindow>();
  const leaders: ReportData["leaders"] = [];
  const masters: ReportData["masters"] = [];
  const events: ReportData["events"] = [];
  const bucketMs = Math.max(100, Math.ceil(endMs / 200 / 100) * 100);
  const buckets: ReportData["buckets"] = [];
  const invokedAt = new Map<string, number>();
  for (const op of o.history) {
    if (op.process === "nemesis" && op.type === "invoke") {
      invokedAt.set(op.f, ms(op));
    } else if (op.process === "nemesis" && op.type === "ok") {
      const p = parseFaultOp(op.f);
      if (p?.phase === "start") {
        const w: FaultWindow = {
          fault: p.fault,
          startMs: invokedAt.get(op.f) ?? ms(op),
          appliedMs: ms(op),
          endMs: undefined,
          detail: op.value,
        };
        faults.push(w);
        open.set(p.fault, w);
      } else if (p?.phase === "stop") {
        const w = open.get(p.fault);
        if (w) w.endMs = ms(op);
        open.delete(p.fault);
      }
    } else if (op.process === "monitor" && op.f === "leader") {
      leaders.push({ atMs: ms(op), leader: typeof op.value === "string" ? op.value : null });
    } else if (op.process === "monitor" && op.f === "masters" && Array.isArray(op.value)) {
      masters.push({ atMs: ms(op), nodes: op.value.map(String) });
    } else if (op.process === "monitor" && op.f === "sentinel-event") {
      const v = (op.value ?? {}) as Record<string, unknown>;
      if (KEY_EVENTS.has(String(v.event))) {
        events.push({
          atMs: ms(op),
          sentinel: String(v.sentinel),
          event: String(v.event),
          node: typeof v.node === "string" ? v.node : typeof v.to === "string" ? v.to : undefined,
          text: String(v.text ?? ""),
        });
      }
    } else if (typeof op.process === "number" && op.type !== "invoke") {
      const b = Math.floor(ms(op) / bucketMs);
      while (buckets.length <= b) buckets.push({ ms: buckets.length * bucketMs, ok: 0, fail: 0, info: 0 });
      buckets[b]![op.type]++;
    }
  }
  const lossWindows: ReportData["lossWindows"] = [];
  for (const l of [...lost].sort((a, b) => a.ackedMs - b.ackedMs)) {
    const f = faults.filter((w) => w.startMs <= l.ackedMs).at(-1);
    const last = lossWindows.at(-1);
    if (last && last.fault === f?.fault && last.fromMs === (f ? f.startMs : last.fromMs)) {
      last.toMs = l.ackedMs;
      last.lost++;
    } else {
      lossWindows.push({ fault: f?.fault, fromMs: f ? f.startMs : l.ackedMs, toMs: l.ackedMs, lost: 1 });
    }
  }
  return {
    title: o.title,
    runDir: o.runDir,
    seed: o.seed,
    valid: o.valid,
    checkers,
    counts,
    lost,
    lostCount: typeof set.lostCount === "number" ? set.lostCount : lost.length,
    unexpectedCount: typeof set.unexpectedCount === "number" ? set.unexpectedCount : 0,
    recoveredCount: typeof set.recoveredCount === "number" ? set.recoveredCount : 0,
    faults,
    leaders,
    masters,
    events,
    buckets,
    bucketMs,
    lossWindows,
    endMs,
  };
}

function summarize(r: Record<string, unknown>): string {
  if (r.valid === "unknown") return String(r.reason ?? "unknown");
  const parts: string[] = [];
  for (const k of [
    "lostCount",
    "unexpectedCount",
    "recoveredCount",
    "failedButPresentCount",
    "duplicatedCount",
  ]) {
    if (typeof r[k] === "number") parts.push(`${k.replace(/Count$/, "")} ${r[k] as number}`);
  }
  if (parts.length > 0) return parts.join(", ");
  const anomalies = Array.isArray(r.anomalies) ? r.anomalies.length : 0;
  return r.valid === true ? "valid" : `${anomalies} anomalies`;
}
