import { OutOfBudget, startBudget } from "../core/budget.js";
import { requireComplete } from "../core/completeness.js";
import type { Budget } from "../core/budget.js";
import { compareElements } from "../core/elements.js";
import { countOutcomes } from "../core/outcome-counts.js";
import { quantiles } from "../core/quantiles.js";
import type { History } from "../history/op.js";
import { pairOps } from "../history/pair-ops.js";
import type { PairedOp } from "../history/pair-ops.js";
import { ElementTable } from "../core/element-table.js";
import { explainSetFull } from "./explain-set-full.js";
import { NEVER, scanReads } from "./scan-reads.js";
import type { ReadColumn } from "./scan-reads.js";
import { classifyElements } from "./classify-elements.js";
import type { SetFullDetails, SetFullOptions, SetFullResult } from "./set-full-result.js";

/**
 * Jepsen's set-full checker, with duplicates actually detected and failed adds that show up. Contract: `add` ops
 * (`f` = `options.addF`, default `add`) whose `value` is the element, and `read` ops (`f` = `options.readF`,
 * default `read`) whose `ok` value is the array of all elements the read saw, issued throughout the run. Reads
 * are taken to reflect the whole set (read from the leader, or final reads after recovery).
 *
 * Following Jepsen, per element: it is **known** from the earlier of its add's `ok` completion and the completion of
 * the first read that saw it. A read **misses** it when the read began (was invoked) after it was known and did not
 * return it.
 *
 * - **stable**: some read saw it and no read that began after the last such read missed it;
 * - **lost**: known, and missed by every read that began after the later of "known" and the last read that saw it
 *   (at least one such read exists). Invalid.
 * - **never-read**: neither (no read began after it was known, or it was never known: an unacknowledged add that no
 *   read ever showed).
 * - **stale**: a stable element some read missed before it reappeared — Jepsen's stale read (a read that began
 *   after an add was acknowledged, or after an earlier read that saw the element had completed, and did not see
 *   it). Reported with Jepsen's stable latency; invalid only with `linearizable: true`.
 *
 * Also invalid: **duplicated** (a read returned an element twice), **failed-but-present** (every add of it failed,
 * yet a read returned it) and **unexpected** (returned by a read that completed before any add of it was invoked, or
 * never added). Adds were attempted but no read succeeded: `unknown`. Handles 100,000 elements × 1,000 full reads
 * in well under 3 s (BENCHMARKS.md).
 *
 * @example
 * const r = checkSetFull(history, { linearizable: false });
 * console.log(r.lostCount, r.staleCount, r.visibilityLatencyMs.p99);
 */
export function checkSetFull(history: History, options: SetFullOptions = {}): SetFullResult {
  try {
    return requireComplete(history, judge(pairOps(history), options, startBudget(options, history.length)));
  } catch (err) {
    if (err instanceof OutOfBudget) return { valid: "unknown", reason: err.reason, ...emptyDetails() };
    throw err;
  }
}

function judge(ops: PairedOp[], options: SetFullOptions, budget: Budget): SetFullResult {
  const addF = options.addF ?? "add";
  const readF = options.readF ?? "read";
  const details = emptyDetails();
  details.counts = countOutcomes(ops);
  const adds: PairedOp[] = [];
  const reads: PairedOp[] = [];
  for (const o of ops) {
    if (typeof o.process !== "number") continue;
    if (o.f === addF) adds.push(o);
    else if (o.f === readF && o.type === "ok") {
      if (!Array.isArray(o.value)) {
        const got = JSON.stringify(o.value) ?? "nothing";
        const reason = `op ${o.end}: a ${readF}'s ok value must be an array of elements, got ${got.slice(0, 60)}`;
        return { valid: "unknown", reason, ...details };
      }
      reads.push(o);
    }
  }
  budget.tick("collecting ops", ops.length);

  const table = new ElementTable(adds.map((a) => a.value));
  const ids = Int32Array.from(adds, (a) => table.intern(a.value));
  const n = table.size;
  const addInv = new Int32Array(n).fill(NEVER);
  const addOk = new Int32Array(n).fill(NEVER);
  const addOkTime = new Float64Array(n).fill(Infinity);
  const anyInfo = new Uint8Array(n);
  const firstFail: (PairedOp | undefined)[] = new Array<PairedOp | undefined>(n);
  adds.forEach((a, i) => {
    const id = ids[i];
    if (a.start < addInv[id]) addInv[id] = a.start;
    if (a.type === "ok" && a.end < addOk[id]) {
      addOk[id] = a.end;
      addOkTime[id] = a.endTime;
    } else if (a.type === "info") anyInfo[id] = 1;
    else if (a.type === "fail" && !firstFail[id]) firstFail[id] = a;
  });

  const m = reads.length;
  const column: ReadColumn = {
    values: new Array<unknown[]>(m),
    inv: new Int32Array(m),
    comp: new Int32Array(m),
  };
  const invTime = new Float64Array(m);
  const compTime = new Float64Array(m);
  reads.forEach((r, j) => {
    column.values[j] = r.value as unknown[];
    column.inv[j] = r.start;
    column.comp[j] = r.end;
    invTime[j] = r.startTime;
    compTime[j] = r.endTime;
  });
  const scan = scanReads(table, column, addInv, addOk, budget);
  const classified = classifyElements({
    table,
    scan,
    column,
    invTime,
    compTime,
    addOk,
    addOkTime,
    anyInfo,
    firstFail,
    elementDetails: options.elementDetails ?? false,
    budget,
  });
  Object.assign(details, classified.details);
  details.readCount = m;
  details.attemptCount = n;
  details.visibilityLatencyMs = quantiles(classified.visibility);
  details.stableLatencyMs = quantiles(classified.stableLatency);
  const at = (rank: number) => ({ op: column.inv[rank], time: invTime[rank] });
  details.duplicated = scan.duplicates
    .map((d) => ({ element: d.element, op: column.inv[d.rank], copies: d.copies }))
    .sort((a, b) => a.op - b.op || compareElements(a.element, b.element));
  details.duplicatedCount = details.duplicated.length;
  details.unexpected = [
    ...[...scan.strangers.values()].map((s) => ({
      element: s.element,
      read: at(s.rank),
      why: "never-added" as const,
    })),
    ...[...scan.early].map(([id, rank]) => ({
      element: table.values[id],
      read: at(rank),
      why: "added-later" as const,
    })),
  ].sort((a, b) => compareElements(a.element, b.element));
  details.unexpectedCount = details.unexpected.length;

  const anomalies = explainSetFull(details, options.linearizable ?? false, readF);
  if (anomalies.length > 0) return { valid: false, anomalies, ...details };
  if (m === 0 && adds.some((a) => a.type === "ok")) {
    return { valid: "unknown", reason: `the set was never read: no ${readF} op completed ok`, ...details };
  }
  return { valid: true, ...details };
}

function emptyDetails(): SetFullDetails {
  const none = quantiles([]);
  return {
    counts: {},
    readCount: 0,
    attemptCount: 0,
    stableCount: 0,
    lostCount: 0,
    neverReadCount: 0,
    staleCount: 0,
    duplicatedCount: 0,
    failedButPresentCount: 0,
    unexpectedCount: 0,
    lost: [],
    stale: [],
    neverRead: [],
    duplicated: [],
    failedButPresent: [],
    unexpected: [],
    visibilityLatencyMs: none,
    stableLatencyMs: { ...none },
  };
}
