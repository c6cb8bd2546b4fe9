import { pairOps, type History, type PairedOp } from "../../checkers/history/index.js";
import { failoverExplanations, type FailoverExplanation } from "./failover-explanations.js";
import { countOutcomes, type CheckResult, type Validity } from "../../checkers/core/index.js";
import { resultOf, typedResults } from "../../checkers/registry/index.js";
import { anomalyStories, type AnomalyStory } from "./anomaly-stories.js";
import { buildClusterTimeline, type ClusterTimeline, type FaultWindow } from "./cluster-timeline.js";
import { clusterRoles, roleOf, type ClusterRoles } from "./cluster-roles.js";
import { cycleViews, type CycleView } from "./cycle-view.js";
import { faultLabel } from "./fault-context.js";
import { faultSummary, type FaultSummary } from "./fault-summary.js";
import { describeFault } from "./fault-words.js";
import { historyLookup } from "./history-lookup.js";
import { linearizableViews, type LinearizableView } from "./linearizable-view.js";
import { buildOpTable, type OpTable } from "./op-table.js";
import { replicationLag, type ReplicationLag } from "./replication-lag.js";
import { runSettings, type RunSetting } from "./run-settings.js";
import { throughput, type Throughput } from "./throughput.js";
import { writeAvailability, type WriteAvailability } from "./write-availability.js";

export type { FaultWindow } from "./cluster-timeline.js";

/** One checker's line in the verdict table. */
export interface CheckerLine {
  name: string;
  valid: Validity;
  summary: string;
  /** Why it could not decide (`unknown`). */
  reason?: string;
  /** Kinds of the anomalies it found, with counts. */
  anomalyKinds: { kind: string; count: number }[];
}

/** Everything a run's report shows, computed from the history, the verdict and the config; no HTML here. */
export interface ReportData {
  title: string;
  runDir: string;
  seed: number;
  valid: Validity;
  /** The configuration's settings worth a glance (from `config.json`), and the test's name. */
  settings: RunSetting[];
  testName: string | undefined;
  /** Per checker: validity and a one-line summary. */
  checkers: CheckerLine[];
  /** Client op outcomes per f. */
  counts: Record<string, { ok: number; fail: number; info: number }>;
  /** Acknowledged writes missing from the final read: element, when acknowledged (ms), who served it. */
  lost: { element: unknown; ackedMs: number; node: string | undefined }[];
  lostCount: number;
  unexpectedCount: number;
  recoveredCount: number;
  /** Fault windows from the nemesis's start/stop ops. */
  faults: FaultWindow[];
  /** Each fault window in words (`killed n2 (a follower), restarted after 3.0 s`), in start order. */
  faultLines: FaultLine[];
  /** Fault starts that were not applied (nothing changed), with the reason. */
  notApplied: ClusterTimeline["notApplied"];
  /** The nemesis's account (`results.json`'s `faults`: scheduled, applied, failed, skipped), when the run has one. */
  faultSummary: FaultSummary | undefined;
  /** Who is who: data nodes (a row each in the cluster picture), failover managers, clients. */
  roles: ClusterRoles;
  /** Leader changes as the failover managers reported them (monitor `leader`). */
  leaders: ClusterTimeline["leaders"];
  /** Data nodes claiming to be leader (monitor `writable-leaders`); two or more at once is split brain. */
  writable: ClusterTimeline["writable"];
  /** Failover-manager events worth a line in the timeline. */
  events: ClusterTimeline["events"];
  /** When nodes stopped claiming leadership. */
  demotions: ClusterTimeline["demotions"];
  /** Client outcomes per time bucket, for the overview strip. */
  buckets: { ms: number; ok: number; fail: number; info: number }[];
  bucketMs: number;
  /**
   * Loss windows: for each fault window with lost writes, from its start to the last lost write acknowledged
   * after it (and before the next one); lost writes acknowledged before any fault get a window of their own.
   */
  lossWindows: { fault: string | undefined; fromMs: number; toMs: number; lost: number }[];
  /** Time of the first and the last history entry, ms. */
  startMs: number;
  endMs: number;
  /** Every client op, as columns (charts and the timeline are drawn from it in the browser). */
  ops: OpTable;
  /** The run's concurrency, when known: the timeline puts process `p` on row `p mod concurrency`. */
  concurrency: number | undefined;
  throughput: Throughput;
  /** Replication lag samples, when the monitor took them. */
  lag: ReplicationLag | undefined;
  /** Every anomaly told in plain language, tied to the faults and failovers around it. */
  stories: AnomalyStory[];
  /** Invoke indices of the client ops the stories name (a completion's index counts as its invoke's); ≤ 5,000. */
  marked: number[];
  linearizable: LinearizableView[];
  cycles: CycleView[];
  /** History entries and invokes that never completed. */
  historySize: number;
  /** What the run is missing, one sentence each: empty for a complete run (the report marks the others). */
  missing: string[];
  /** Each failover the monitor explained (`failover-evidence`), one line each. */
  failovers: FailoverExplanation[];
  /** How available client writes were: the stretches with none acknowledged while some were tried. */
  availability: WriteAvailability;
}

/** A fault window as the report tells it. */
export interface FaultLine {
  /** `partition-leader #2`. */
  label: string;
  startMs: number;
  endMs: number | undefined;
  /** What was done, in words. */
  text: string;
}

/** What {@link buildReportData} needs. */
export interface ReportInput {
  history: History;
  /** The composed checker results, by label (each read through its checker's own type). */
  results: Readonly<Record<string, CheckResult>>;
  /** Which checker made each label's result (`results.json`'s `checkers`); by default the label names it. */
  checkerNames?: Readonly<Record<string, string>>;
  /** What the run is missing (`results.json`'s `completeness.missing`): an incomplete run is marked. */
  missing?: readonly string[];
  valid: Validity;
  title: string;
  runDir: string;
  seed: number;
  /** The run's `config.json` record (settings, concurrency, checkers), when there is one. */
  config?: Record<string, unknown>;
  /** `results.json`'s `faults` (the nemesis's account of its windows), when the run recorded one. */
  faults?: unknown;
}

/**
 * Builds the report's data from a history, the composed checker results and the run's config (DESIGN's rule:
 * checking returns data, a separate function renders it). Pure: no I/O, no clock.
 *
 * @example
 * const data = buildReportData({ history, results: verdict.results, valid: verdict.valid, title, runDir, seed, config });
 * const html = renderReportHtml(data);
 */
export function buildReportData(o: ReportInput): ReportData {
  const tl = buildClusterTimeline(o.history);
  const endMs = tl.endMs;
  const lookup = historyLookup(o.history);
  const typed = typedResults(o.results, o.checkerNames);
  const checkers = typed.map((t) => checkerLine(t.label, t.result));
  // The lost-writes table and loss windows come from the (first) set checker's result, when there is one.
  const set = resultOf(typed, "set")?.result;
  const lost = (set?.lost ?? []).map((l) => ({
    element: l.element,
    ackedMs: l.ackedTime / 1e6,
    node: lookup(l.ackedAt)?.node,
  }));
  const concurrency = typeof o.config?.concurrency === "number" ? o.config.concurrency : undefined;
  const ops = buildOpTable(o.history, concurrency === undefined ? {} : { concurrency });
  const paired = pairOps(o.history);
  const stories = anomalyStories(o.history, typed, tl);
  const roles = clusterRoles(o.config, tl);
  const words = { tl, roleOf: roleOf(roles) };
  const tp = throughput(ops, endMs);
  // The overview strip's buckets are the throughput chart's.
  const bucketMs = tp.bucketMs;
  const buckets: ReportData["buckets"] = [];
  for (let i = 0; i < ops.inv.length; i++) {
    if (ops.lat[i]! < 0) continue;
    const b = Math.floor((ops.inv[i]! + ops.lat[i]!) / bucketMs);
    while (buckets.length <= b) buckets.push({ ms: buckets.length * bucketMs, ok: 0, fail: 0, info: 0 });
    buckets[b]![(["ok", "fail", "info"] as const)[ops.type[i]!]!]++;
  }
  return {
    title: o.title,
    runDir: o.runDir,
    seed: o.seed,
    valid: o.valid,
    settings: runSettings(o.config),
    testName: typeof o.config?.testName === "string" ? o.config.testName : undefined,
    checkers,
    counts: countOutcomes(paired),
    lost,
    lostCount: set?.lostCount ?? 0,
    unexpectedCount: set?.unexpectedCount ?? 0,
    recoveredCount: set?.recoveredCount ?? 0,
    faults: tl.faults,
    faultLines: tl.faults.map((w) => ({
      label: faultLabel(tl, w),
      startMs: w.startMs,
      endMs: w.endMs,
      text: describeFault(w, words),
    })),
    notApplied: tl.notApplied,
    faultSummary: faultSummary(o.faults),
    roles,
    leaders: tl.leaders,
    writable: tl.writable,
    events: tl.events,
    demotions: tl.demotions,
    buckets,
    bucketMs,
    lossWindows: lossWindows(lost, tl.faults),
    startMs: o.history.length > 0 ? o.history[0]!.time / 1e6 : 0,
    endMs,
    ops,
    concurrency,
    throughput: tp,
    lag: replicationLag(o.history),
    stories,
    marked: markedInvokes(paired, stories),
    linearizable: linearizableViews(typed, tl),
    cycles: cycleViews(o.history, typed, tl),
    historySize: o.history.length,
    missing: [...(o.missing ?? [])],
    failovers: failoverExplanations(o.history),
    availability: writeAvailability(o.history),
  };
}

/** The invoke index of every client op a story names, whether the story names its invoke or its completion. */
function markedInvokes(paired: readonly PairedOp[], stories: readonly AnomalyStory[]): number[] {
  const invokeOf = new Map<number, number>();
  for (const p of paired) {
    if (typeof p.process !== "number") continue;
    invokeOf.set(p.start, p.start);
    if (p.completion) invokeOf.set(p.completion.index, p.start);
  }
  const marked = new Set<number>();
  for (const s of stories) {
    for (const i of s.ops) {
      if (marked.size >= 5000) return [...marked];
      const inv = invokeOf.get(i);
      if (inv !== undefined) marked.add(inv);
    }
  }
  return [...marked];
}

function lossWindows(lost: ReportData["lost"], faults: FaultWindow[]): ReportData["lossWindows"] {
  const out: ReportData["lossWindows"] = [];
  for (const l of [...lost].sort((a, b) => a.ackedMs - b.ackedMs)) {
    const f = faults.filter((w) => w.startMs <= l.ackedMs).at(-1);
    const last = out.at(-1);
    if (last && last.fault === f?.fault && last.fromMs === (f ? f.startMs : last.fromMs)) {
      last.toMs = l.ackedMs;
      last.lost++;
    } else {
      out.push({ fault: f?.fault, fromMs: f ? f.startMs : l.ackedMs, toMs: l.ackedMs, lost: 1 });
    }
  }
  return out;
}

function checkerLine(name: string, r: CheckResult<object>): CheckerLine {
  const kinds = new Map<string, number>();
  if (r.valid === false) for (const a of r.anomalies) kinds.set(a.kind, (kinds.get(a.kind) ?? 0) + 1);
  return {
    name,
    valid: r.valid,
    summary: summarize(r),
    ...(r.valid === "unknown" ? { reason: r.reason } : {}),
    anomalyKinds: [...kinds].map(([kind, count]) => ({ kind, count })),
  };
}

/** The result's headline numbers: `lost 3, unexpected 0` (fields named `…Count` lose the suffix). */
function summarize(r: CheckResult<object>): string {
  if (r.valid === "unknown") return r.reason;
  const parts: string[] = [];
  for (const [k, v] of Object.entries(r)) {
    if (typeof v !== "number" || !/Count$|^count$|^ops$|^readCount$/.test(k)) continue;
    parts.push(`${k.replace(/Count$/, "") || "count"} ${v}`);
  }
  if (parts.length > 0) return parts.slice(0, 8).join(", ");
  if (r.valid === true) return "valid";
  const anomalies = r.anomalies.length;
  return `${anomalies} ${anomalies === 1 ? "anomaly" : "anomalies"}`;
}
