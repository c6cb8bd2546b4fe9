import { OutOfBudget, startBudget } from "../core/budget.js";
import type { Budget } from "../core/budget.js";
import { compareElements, elementKey, listElements } from "../core/elements.js";
import { countOutcomes, formatNs } from "../core/outcome-counts.js";
import type { Anomaly } from "../core/result.js";
import type { History } from "../history/op.js";
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

interface Attempt {
  element: unknown;
  /** Earliest `ok` add: its invoke and completion. */
  ok?: PairedOp;
  /** Earliest `ok` add that completed before the final read was invoked. */
  okBeforeRead?: PairedOp;
  info: boolean;
  /** First failed add. */
  failed?: PairedOp;
}

/**
 * Jepsen's set checker, plus failed adds that show up. Contract: `add` ops (`f` = `options.addF`, default `add`)
 * whose `value` is the element (any JSON; elements are meant to be unique), and a final `read` (`f` =
 * `options.readF`, default `read`) whose `ok` value is the array of elements. The judged read is the last
 * successful read (by completion); use `set-full` to judge every read.
 *
 * - **lost**: acknowledged (an add `ok` before the final read began) but absent. Invalid.
 * - **unexpected**: read, but no add of it was invoked before the read completed. Invalid.
 * - **failed-but-present**: read, but every add of it failed (`fail` means it did not happen). Invalid.
 * - **duplicated**: returned more than once by the final read. Invalid.
 * - **recovered**: read although its add was `info` (it may have happened). Fine.
 * - **concurrent**: acknowledged only after the final read began and absent. Fine: not provably lost.
 *
 * No successful read while adds were attempted gives `unknown`. Nemesis and monitor ops are ignored.
 *
 * @example
 * const r = checkSet(history);
 * if (r.valid === false) console.log(r.lostCount, r.lost.map((l) => l.element));
 */
export function checkSet(history: History, options: SetOptions = {}): SetResult {
  const addF = options.addF ?? "add";
  const readF = options.readF ?? "read";
  try {
    return judge(pairOps(history), addF, readF, startBudget(options, history.length));
  } catch (err) {
    if (err instanceof OutOfBudget) return { valid: "unknown", reason: err.reason, ...emptyDetails() };
    throw err;
  }
}

function judge(ops: PairedOp[], addF: string, readF: string, budget: Budget): SetResult {
  const details = emptyDetails();
  details.counts = countOutcomes(ops);
  const client = ops.filter((o) => typeof o.process === "number");
  const adds = client.filter((o) => o.f === addF);
  let read: PairedOp | undefined;
  for (const o of client) if (o.f === readF && o.type === "ok" && (!read || o.end > read.end)) read = o;
  if (!read) {
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

  const attempts = new Map<string, Attempt>();
  for (const add of adds) {
    budget.tick("collecting adds");
    if (add.start > read.end) continue;
    const k = elementKey(add.value);
    let a = attempts.get(k);
    if (!a) attempts.set(k, (a = { element: add.value, info: false }));
    if (add.type === "ok") {
      if (!a.ok || add.end < a.ok.end) a.ok = add;
      if (add.end < read.start && (!a.okBeforeRead || add.end < a.okBeforeRead.end)) a.okBeforeRead = add;
    } else if (add.type === "info") a.info = true;
    else if (!a.failed) a.failed = add;
  }

  const present = new Map<string, unknown>();
  const duplicated = new Map<string, unknown>();
  for (const v of values) {
    budget.tick("reading the final read");
    const k = elementKey(v);
    if (present.has(k)) duplicated.set(k, v);
    else present.set(k, v);
  }

  const lost: LostElement[] = [];
  const concurrent: unknown[] = [];
  const recovered: unknown[] = [];
  const failedButPresent: FailedButPresent[] = [];
  for (const [k, a] of attempts) {
    budget.tick("classifying elements");
    if (a.ok) details.acknowledgedCount++;
    if (present.has(k)) {
      if (a.ok) details.okCount++;
      else if (a.info) recovered.push(a.element);
      else if (a.failed)
        failedButPresent.push({ element: a.element, op: a.failed.start, failedAt: a.failed.end });
    } else if (a.okBeforeRead) {
      const o = a.okBeforeRead;
      lost.push({ element: a.element, op: o.start, ackedAt: o.end, ackedTime: o.endTime });
    } else if (a.ok) {
      concurrent.push(a.element);
    }
  }
  const unexpected = [...present].filter(([k]) => !attempts.has(k)).map(([, v]) => v);

  const byElement = <T extends { element: unknown }>(a: T, b: T): number =>
    compareElements(a.element, b.element);
  details.attemptCount = attempts.size;
  details.lost = lost.sort(byElement);
  details.lostCount = lost.length;
  details.unexpected = unexpected.sort(compareElements);
  details.unexpectedCount = unexpected.length;
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
