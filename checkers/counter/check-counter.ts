import { OutOfBudget, startBudget } from "../core/budget.js";
import { requireComplete } from "../core/completeness.js";
import type { Budget } from "../core/budget.js";
import { countOutcomes, formatNs } from "../core/outcome-counts.js";
import type { Anomaly } from "../core/result.js";
import type { History } from "../history/op.js";
import { pairOps } from "../history/pair-ops.js";
import type { PairedOp } from "../history/pair-ops.js";
import type { CounterDetails, CounterOptions, CounterResult, OutOfBoundsRead } from "./counter-result.js";

/**
 * Jepsen's counter checker, correct for negative deltas too. Contract: `add` / `incr` ops (`options.addFs`) whose
 * `value` is the integer delta (an `incr` with no value adds 1), and `read` ops whose `ok` value is the integer count
 * (`null` reads the initial value); ops with a `key` are separate counters.
 *
 * A read may see any subset of the adds that could have taken effect while it ran: every `ok` add that completed
 * before the read began has certainly happened; every other `ok` or `info` add invoked before the read completed may
 * have; `fail` adds and adds invoked after it did not. So the value must lie in
 * [initial + definite + (negative maybe deltas), initial + definite + (positive maybe deltas)] — Jepsen's bounds
 * [ok adds completed before the read began, ok + info adds invoked before it completed] when deltas are positive.
 * A read outside is an anomaly (`out-of-bounds`), reported with its bounds. The check is sound (never a false alarm);
 * like Jepsen's, it does not try subset sums inside the bounds.
 *
 * @example
 * const r = checkCounter(history);
 * for (const e of r.errors) console.log(`${e.value} not in [${e.lower}, ${e.upper}]`);
 */
export function checkCounter(history: History, options: CounterOptions = {}): CounterResult {
  try {
    return requireComplete(
      history,
      judge(pairOps(history), history.length, options, startBudget(options, history.length)),
    );
  } catch (err) {
    if (err instanceof OutOfBudget) return { valid: "unknown", reason: err.reason, ...emptyDetails() };
    throw err;
  }
}

function judge(ops: PairedOp[], size: number, options: CounterOptions, budget: Budget): CounterResult {
  const addFs = new Set(options.addFs ?? ["add", "incr"]);
  const readF = options.readF ?? "read";
  const initial = options.initial ?? 0;
  const details = emptyDetails();
  details.counts = countOutcomes(ops);
  const byKey = new Map<string | undefined, PairedOp[]>();
  let magnitude = Math.abs(initial);
  for (const o of ops) {
    if (typeof o.process !== "number") continue;
    const isAdd = addFs.has(o.f);
    if (!isAdd && o.f !== readF) continue;
    if (isAdd && o.type !== "fail") {
      const d = delta(o);
      if (d === undefined)
        return unknown(`op ${o.start}: an ${o.f}'s value must be an integer delta`, o.invoke.value, details);
      magnitude += Math.abs(d);
    }
    if (!isAdd && o.type === "ok" && o.value !== null && !Number.isSafeInteger(o.value)) {
      return unknown(`op ${o.end}: a ${readF}'s ok value must be an integer`, o.value, details);
    }
    const list = byKey.get(o.key);
    if (list) list.push(o);
    else byKey.set(o.key, [o]);
  }
  if (!Number.isSafeInteger(magnitude)) {
    return { valid: "unknown", reason: "the deltas add up beyond 2^53: sums would be inexact", ...details };
  }
  details.keyCount = byKey.size;
  for (const [key, list] of byKey) checkKey(key, list, size, addFs, initial, details, budget);
  details.errorCount = details.errors.length;
  details.errors.sort((a, b) => a.op - b.op);
  const anomalies = details.errors.map(explain);
  return anomalies.length > 0 ? { valid: false, anomalies, ...details } : { valid: true, ...details };
}

/**
 * With prefix sums over history positions: `definite±[i]` sums the positive / negative deltas of `ok` adds that
 * completed before position i, `maybe±[i]` those of `ok` and `info` adds invoked before i. Then a read invoked at i and
 * completed at c has lower = initial + definite+[i] + maybe−[c] and upper = initial + definite−[i] + maybe+[c].
 */
function checkKey(
  key: string | undefined,
  ops: PairedOp[],
  size: number,
  addFs: Set<string>,
  initial: number,
  details: CounterDetails,
  budget: Budget,
): void {
  const definitePos = new Float64Array(size + 1);
  const definiteNeg = new Float64Array(size + 1);
  const maybePos = new Float64Array(size + 1);
  const maybeNeg = new Float64Array(size + 1);
  for (const o of ops) {
    if (!addFs.has(o.f) || o.type === "fail") continue;
    const d = delta(o)!;
    if (d > 0) maybePos[o.start + 1] += d;
    else maybeNeg[o.start + 1] += d;
    if (o.type === "ok") {
      if (d > 0) definitePos[o.end + 1] += d;
      else definiteNeg[o.end + 1] += d;
    }
  }
  for (let i = 1; i <= size; i++) {
    definitePos[i] += definitePos[i - 1];
    definiteNeg[i] += definiteNeg[i - 1];
    maybePos[i] += maybePos[i - 1];
    maybeNeg[i] += maybeNeg[i - 1];
  }
  budget.tick("summing adds", size);
  for (const o of ops) {
    if (addFs.has(o.f) || o.type !== "ok") continue;
    details.readCount++;
    const value = o.value === null ? initial : (o.value as number);
    const lower = initial + definitePos[o.start] + maybeNeg[o.end];
    const upper = initial + definiteNeg[o.start] + maybePos[o.end];
    if (value < lower || value > upper) {
      const e: OutOfBoundsRead = { op: o.start, completedAt: o.end, time: o.startTime, value, lower, upper };
      if (key !== undefined) e.key = key;
      if (o.node !== undefined) e.node = o.node;
      details.errors.push(e);
    }
  }
}

/**
 * The delta of an add: its invoke's integer value (the completion may carry the new count, as an increment command may reply);
 * an `incr` with no value adds 1. Undefined if not an integer.
 */
function delta(o: PairedOp): number | undefined {
  const v = o.invoke.value;
  if ((v === null || v === undefined) && o.f === "incr") return 1;
  return Number.isSafeInteger(v) ? (v as number) : undefined;
}

function explain(e: OutOfBoundsRead): Anomaly {
  const counter = e.key === undefined ? "the counter" : `counter ${JSON.stringify(e.key)}`;
  const side =
    e.value < e.lower
      ? `below ${e.lower}, the sum of the increments acknowledged before it began (plus every decrement that may have ` +
        `applied)`
      : `above ${e.upper}, the sum of every increment invoked before it completed (plus the decrements acknowledged ` +
        `before it began)`;
  return {
    kind: "out-of-bounds",
    explanation:
      `the read invoked as op ${e.op} at ${formatNs(e.time)} returned ${e.value} for ${counter}, but it could only ` +
      `have been between ${e.lower} and ${e.upper}: ${e.value} is ${side}`,
    ops: [e.op],
    read: e,
  };
}

function unknown(reason: string, value: unknown, details: CounterDetails): CounterResult {
  const got = JSON.stringify(value) ?? "nothing";
  return { valid: "unknown", reason: `${reason}, got ${got.slice(0, 60)}`, ...details };
}

function emptyDetails(): CounterDetails {
  return { counts: {}, readCount: 0, keyCount: 0, errors: [], errorCount: 0 };
}
