import { pairOps, type History } from "../../checkers/history/index.js";
import { quantiles } from "../../checkers/core/index.js";
import type { Invocation } from "../../workloads/index.js";

/** What a campaign compares across configurations, for one run. */
export interface RunMetrics {
  /** Client ops (invocations). */
  ops: number;
  /** Writes by outcome: acknowledged, definitely not applied, unknown. */
  writes: { ok: number; fail: number; info: number };
  /** Latency of acknowledged writes, ms (`null` without any). */
  writeLatencyMs: { p50: number | null; p99: number | null; max: number | null };
  /**
   * Acknowledged writes lost (the `set` checker's count, else `set-full`'s); `null` when no checker of this run
   * counts lost writes (other workloads report other anomalies).
   */
  lost: number | null;
  /** Kinds of the anomalies found, over every checker, sorted. */
  anomalyKinds: string[];
  /** The history's span, ms. */
  durationMs: number;
  /**
   * Each failover after a fault: ms from the fault's start (a `start-…` nemesis op applied) to the failover
   * managers first naming a leader other than the one named when it started (monitor `leader` ops). Absent in
   * results of older campaigns.
   */
  failoverMs?: number[];
  /**
   * The loss window: ms from the first to the last acknowledgement of a lost write (from the lost writes the
   * `set` checker lists, which may be capped), 0 for one lost write, `null` for none.
   */
  lossWindowMs?: number | null;
}

/**
 * The campaign's figures for one run, from its history and checker results. A write is an op the workload calls
 * a write (`isWrite`: an add, a write or compare-and-set, a transaction that appends, an increment); without the
 * workload, every op but a read.
 *
 * @example
 * runMetrics(history, verdict.results, (op) => workload.isWrite(op)).writes; // { ok: 612, fail: 17, info: 3 }
 */
export function runMetrics(
  history: History,
  results: Record<string, unknown>,
  isWrite: (op: Invocation) => boolean = (op) => !/^(read|get|r)$/.test(op.f),
): RunMetrics {
  const writes = { ok: 0, fail: 0, info: 0 };
  const latencies: number[] = [];
  let ops = 0;
  for (const p of pairOps(history)) {
    if (typeof p.process !== "number") continue;
    ops++;
    const op: Invocation = { f: p.f, value: p.invoke.value, ...(p.key === undefined ? {} : { key: p.key }) };
    if (!isWrite(op)) continue;
    writes[p.type]++;
    if (p.type === "ok" && Number.isFinite(p.endTime)) latencies.push((p.endTime - p.startTime) / 1e6);
  }
  const q = quantiles(latencies);
  const count = (label: string): number | undefined => {
    const r = results[label] as { lostCount?: unknown } | undefined;
    return typeof r?.lostCount === "number" ? r.lostCount : undefined;
  };
  const kinds = new Set<string>();
  for (const r of Object.values(results)) {
    const anomalies = (r as { anomalies?: unknown } | null)?.anomalies;
    if (Array.isArray(anomalies))
      for (const a of anomalies) kinds.add(String((a as { kind?: unknown })?.kind));
  }
  const round = (x: number | null): number | null => (x === null ? null : Math.round(x * 1000) / 1000);
  const first = history[0];
  const last = history[history.length - 1];
  const lostTimes = ((results.set ?? results["set-full"]) as { lost?: unknown } | undefined)?.lost;
  const acked = Array.isArray(lostTimes)
    ? lostTimes
        .map((l) => (l as { ackedTime?: unknown } | null)?.ackedTime)
        .filter((t): t is number => typeof t === "number")
    : [];
  return {
    ops,
    writes,
    writeLatencyMs: { p50: round(q.p50), p99: round(q.p99), max: round(q.max) },
    lost: count("set") ?? count("set-full") ?? null,
    anomalyKinds: [...kinds].sort(),
    durationMs: first && last ? Math.round((last.time - first.time) / 1e6) : 0,
    failoverMs: failoversAfterFaults(history),
    lossWindowMs: acked.length === 0 ? null : Math.round((Math.max(...acked) - Math.min(...acked)) / 1e6),
  };
}

/** {@link RunMetrics.failoverMs}: for each applied fault, the time until a different leader was named. */
function failoversAfterFaults(history: History): number[] {
  const out: number[] = [];
  let leader: unknown = undefined;
  let pending: { at: number; from: unknown } | undefined;
  for (const op of history) {
    if (op.process === "monitor" && op.f === "leader") {
      leader = op.value;
      if (pending && op.value !== null && op.value !== undefined && op.value !== pending.from) {
        out.push(Math.round((op.time - pending.at) / 1e6));
        pending = undefined;
      }
    } else if (
      op.process === "nemesis" &&
      op.type === "ok" &&
      op.f.startsWith("start-") &&
      pending === undefined
    ) {
      pending = { at: op.time, from: leader };
    }
  }
  return out;
}
