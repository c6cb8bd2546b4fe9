import { OutOfBudget, startBudget } from "../core/budget.js";
import type { Budget } from "../core/budget.js";
import { ElementTable } from "../core/element-table.js";
import { compareElements, elementKey, listElements } from "../core/elements.js";
import { countOutcomes, formatNs } from "../core/outcome-counts.js";
import { NOTHING_TO_JUDGE, requireComplete } from "../core/completeness.js";
import type { Anomaly } from "../core/result.js";
import type { History } from "../history/op.js";
import { finalPhaseOf, inFinalPhase } from "../history/final-phase.js";
import type { FinalPhase } from "../history/final-phase.js";
import { pairOps } from "../history/pair-ops.js";
import type { PairedOp } from "../history/pair-ops.js";
import type {
  FailedButPresent,
  FinalRead,
  LostElement,
  SetDetails,
  SetOptions,
  SetResult,
} from "./set-result.js";

/**
 * Jepsen's set checker, plus failed adds that show up. Contract: `add` ops (`f` = `options.addF`, default `add`)
 * whose `value` is the element (any JSON; elements are meant to be unique), and a final `read` (`f` =
 * `options.readF`, default `read`) whose `ok` value is the array of elements. The judged read is the last
 * successful read (by completion) of the run's final phase; use `set-full` to judge every read.
 *
 * Only a read of the final phase, after every fault healed, can say what is lost: in a faultline run's history
 * (it records `initial-heal`) the final read is the last successful read invoked after the `final-heal` op, and a
 * history without that phase (interrupted, harness killed) is `unknown`, whatever mid-run reads it holds. A
 * history without phase markers (imported from Jepsen) is judged by its last successful read, Jepsen's rule.
 *
 * - **lost**: acknowledged (an add `ok` before the final read began) but absent. Invalid.
 * - **unexpected**: read, but no add of it was invoked before the read completed. Invalid.
 * - **failed-but-present**: read, but every add of it failed (`fail` means it did not happen). Invalid.
 * - **duplicated**: returned more than once by the final read. Invalid.
 * - **recovered**: read although its add was `info` (it may have happened). Fine.
 * - **concurrent**: acknowledged only after the final read began and absent. Fine: not provably lost.
 *
 * No successful final read while adds were attempted, or no client op at all, gives `unknown`. Nemesis and
 * monitor ops are ignored, except the phase markers.
 *
 * @example
 * const r = checkSet(history);
 * if (r.valid === false) console.log(r.lostCount, r.lost.map((l) => l.element));
 */
export function checkSet(history: History, options: SetOptions = {}): SetResult {
  const addF = options.addF ?? "add";
  const readF = options.readF ?? "read";
  try {
    const phase = finalPhaseOf(history);
    return requireComplete(
      history,
      judge(pairOps(history), addF, readF, phase, startBudget(options, history.length)),
      phase,
    );
  } catch (err) {
    if (err instanceof OutOfBudget) return { valid: "unknown", reason: err.reason, ...emptyDetails() };
    throw err;
  }
}

const NEVER = 0x7fffffff;

function judge(ops: PairedOp[], addF: string, readF: string, phase: FinalPhase, budget: Budget): SetResult {
  const details = emptyDetails();
  details.counts = countOutcomes(ops);
  const client = ops.filter((o) => typeof o.process === "number");
  if (client.length === 0) return { valid: "unknown", reason: NOTHING_TO_JUDGE, ...details };
  const adds = client.filter((o) => o.f === addF);
  let read: PairedOp | undefined;
  for (const o of client) {
    if (o.f === readF && o.type === "ok" && inFinalPhase(phase, o.start) && (!read || o.end > read.end))
      read = o;
  }
  if (!read) {
    if (phase.kind === "missing") {
      return {
        valid: "unknown",
        reason: `no final ${readF} to judge the set by: ${phase.reason}`,
        ...details,
      };
    }
    if (phase.kind === "recorded") {
      return {
        valid: "unknown",
        reason: `no ${readF} of the final phase (invoked after op ${phase.from}, the final heal) completed ok`,
        ...details,
      };
    }
    if (adds.length === 0) return { valid: true, ...details };
    return { valid: "unknown", reason: `the set was never read: no ${readF} op completed ok`, ...details };
  }
  if (!Array.isArray(read.value)) {
    return {
      valid: "unknown",
      reason: `op ${read.end}: the final ${readF}'s value must be an array of elements, got ${JSON.stringify(read.value)}`,
      ...details,
    };
  }
  const values: unknown[] = read.value;
  const finalRead: FinalRead = {
    op: read.start,
    completedAt: read.end,
    time: read.startTime,
    size: values.length,
  };
  if (read.node !== undefined) finalRead.node = read.node;
  details.finalRead = finalRead;

  // Elements attempted before the final read completed, by id; per id the earliest ok add (and the earliest one
  // acknowledged before the read began), whether some add was info, and the first failed add.
  const attempted = adds.filter((a) => a.start <= read.end);
  const table = new ElementTable(attempted.map((a) => a.value));
  const ids = Int32Array.from(attempted, (a) => table.intern(a.value));
  const n = table.size;
  const ok: (PairedOp | undefined)[] = new Array<PairedOp | undefined>(n);
  const okBeforeRead: (PairedOp | undefined)[] = new Array<PairedOp | undefined>(n);
  const failed: (PairedOp | undefined)[] = new Array<PairedOp | undefined>(n);
  const info = new Uint8Array(n);
  attempted.forEach((a, i) => {
    const id = ids[i];
    if (a.type === "ok") {
      if ((ok[id]?.end ?? NEVER) > a.end) ok[id] = a;
      if (a.end < read.start && (okBeforeRead[id]?.end ?? NEVER) > a.end) okBeforeRead[id] = a;
    } else if (a.type === "info") info[id] = 1;
    else failed[id] ??= a;
  });
  budget.tick("collecting adds", attempted.length);

  const present = new Uint8Array(n);
  const unexpected = new Map<string, unknown>();
  const duplicated = new Map<string, unknown>();
  for (const v of values) {
    const id = table.lookup(v);
    if (id < 0) {
      const k = elementKey(v);
      if (unexpected.has(k)) duplicated.set(k, v);
      else unexpected.set(k, v);
    } else if (present[id]) duplicated.set(`#${id}`, v);
    else present[id] = 1;
  }
  budget.tick("reading the final read", values.length);

  const lost: LostElement[] = [];
  const concurrent: unknown[] = [];
  const recovered: unknown[] = [];
  const failedButPresent: FailedButPresent[] = [];
  for (let id = 0; id < n; id++) {
    const element = table.values[id];
    const acked = ok[id];
    if (acked) details.acknowledgedCount++;
    const f = failed[id];
    if (present[id]) {
      if (acked) details.okCount++;
      else if (info[id]) recovered.push(element);
      else if (f) failedButPresent.push({ element, op: f.start, failedAt: f.end });
    } else if (okBeforeRead[id]) {
      const o = okBeforeRead[id]!;
      lost.push({ element, op: o.start, ackedAt: o.end, ackedTime: o.endTime });
    } else if (acked) {
      concurrent.push(element);
    }
  }
  budget.tick("classifying elements", n);

  const byElement = <T extends { element: unknown }>(a: T, b: T): number =>
    compareElements(a.element, b.element);
  details.attemptCount = n;
  details.lost = lost.sort(byElement);
  details.lostCount = lost.length;
  details.unexpected = [...unexpected.values()].sort(compareElements);
  details.unexpectedCount = unexpected.size;
  details.recovered = recovered.sort(compareElements);
  details.recoveredCount = recovered.length;
  details.failedButPresent = failedButPresent.sort(byElement);
  details.failedButPresentCount = failedButPresent.length;
  details.concurrent = concurrent.sort(compareElements);
  details.concurrentCount = concurrent.length;
  details.duplicated = [...duplicated.values()].sort(compareElements);
  details.duplicatedCount = duplicated.size;

  const anomalies = explain(details, finalRead, readF);
  return anomalies.length > 0 ? { valid: false, anomalies, ...details } : { valid: true, ...details };
}

function explain(d: SetDetails, read: FinalRead, readF: string): Anomaly[] {
  const at = `the final ${readF} (op ${read.op}, invoked at ${formatNs(read.time)})`;
  const out: Anomaly[] = [];
  if (d.lostCount > 0) {
    const shown = d.lost
      .slice(0, 10)
      .map(
        (l) => `${JSON.stringify(l.element)} (acknowledged by op ${l.ackedAt} at ${formatNs(l.ackedTime)})`,
      );
    const more = d.lostCount > 10 ? ` and ${d.lostCount - 10} more` : "";
    out.push({
      kind: "lost",
      explanation: `${d.lostCount} acknowledged add(s) missing from ${at}: ${shown.join(", ")}${more}`,
      ops: [...d.lost.map((l) => l.op), read.op],
      elements: d.lost.map((l) => l.element),
    });
  }
  if (d.unexpectedCount > 0) {
    out.push({
      kind: "unexpected",
      explanation: `${d.unexpectedCount} element(s) in ${at} that no add attempted before the read completed: ${listElements(d.unexpected)}`,
      ops: [read.op],
      elements: d.unexpected,
    });
  }
  if (d.failedButPresentCount > 0) {
    out.push({
      kind: "failed-but-present",
      explanation:
        `${d.failedButPresentCount} element(s) in ${at} although every add of them failed: ` +
        listElements(d.failedButPresent.map((x) => x.element)),
      ops: [...d.failedButPresent.map((x) => x.op), read.op],
      elements: d.failedButPresent.map((x) => x.element),
    });
  }
  if (d.duplicatedCount > 0) {
    out.push({
      kind: "duplicated",
      explanation: `${at} returned ${d.duplicatedCount} element(s) more than once: ${listElements(d.duplicated)}`,
      ops: [read.op],
      elements: d.duplicated,
    });
  }
  return out;
}

function emptyDetails(): SetDetails {
  return {
    counts: {},
    finalRead: null,
    attemptCount: 0,
    acknowledgedCount: 0,
    okCount: 0,
    lost: [],
    lostCount: 0,
    unexpected: [],
    unexpectedCount: 0,
    recovered: [],
    recoveredCount: 0,
    failedButPresent: [],
    failedButPresentCount: 0,
    concurrent: [],
    concurrentCount: 0,
    duplicated: [],
    duplicatedCount: 0,
  };
}
