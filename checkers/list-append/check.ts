/**
 * The list-append checker: Elle's inference over transactions of appends and whole-list reads (Kingsbury &
 * Alvaro, "Elle: Inferring Isolation Anomalies from Experimental Observations", VLDB 2020).
 */
import type { CheckResult } from "../core/result.js";
import { requireComplete } from "../core/completeness.js";
import type { History } from "../history/op.js";
import { Budget, OutOfTime } from "./budget.js";
import { findCycles } from "./cycles.js";
import { Findings } from "./findings.js";
import type { ListAppendAnomaly } from "./findings.js";
import { ANOMALY_KINDS, kindsProhibitedBy, modelsRuledOutByAll } from "./models.js";
import { indexAppends, observe } from "./observations.js";
import { findIntermediateReads, findLostUpdates } from "./read-anomalies.js";
import { collectTxns } from "./txns.js";
import type { Txn } from "./txns.js";
import type { ListAppendAnomalyKind, ListAppendDetails, ListAppendOptions } from "./types.js";
import { inferVersionOrders } from "./version-order.js";

/** The result of {@link checkListAppend}. */
export type ListAppendResult = CheckResult<ListAppendDetails> & { anomalies?: ListAppendAnomaly[] };

/**
 * Checks a history of list-append transactions (see `types.ts` for the history contract) for G0, G1a, G1b, G1c,
 * G-single, G-nonadjacent, G2-item (and their `-process` / `-realtime` variants), lost updates, incompatible orders,
 * duplicate and unexpected elements, dirty updates, internal inconsistencies and future reads. Each anomaly explains
 * itself step by step and names the consistency models it rules out.
 *
 * Pure: no I/O; the only clock is `options.now`, read for the time budget. Invalid (`false`) as soon as any anomaly the checked
 * model prohibits is proven, even if a budget then runs out; `"unknown"` when nothing was proven but the analysis
 * could not finish (time budget, search budget) or the history breaks the contract.
 *
 * @example
 * ```ts
 * const r = checkListAppend(history, { model: "serializable", timeLimitMs: 5_000 });
 * if (r.valid === false) for (const a of r.anomalies) console.log(a.kind, a.explanation);
 * ```
 */
export function checkListAppend(history: History, options: ListAppendOptions = {}): ListAppendResult {
  return requireComplete(history, judge(history, options));
}

function judge(history: History, options: ListAppendOptions): ListAppendResult {
  const wanted = new Set<ListAppendAnomalyKind>(
    options.anomalies ?? kindsProhibitedBy(options.model ?? "strict-serializable"),
  );
  if (options.maxOps != null && history.length > options.maxOps) {
    return unknown(
      `the history has ${history.length} entries, more than the size limit maxOps = ${options.maxOps}`,
      [],
    );
  }
  const unknownKinds = (options.anomalies ?? []).filter((k) => !ANOMALY_KINDS.includes(k));
  if (unknownKinds.length > 0) {
    return unknown(
      `options.anomalies: unknown anomaly kind ${unknownKinds.map((k) => JSON.stringify(k)).join(", ")}; ` +
        `known kinds: ${ANOMALY_KINDS.join(", ")}`,
      [],
    );
  }
  const set = collectTxns(history);
  if ("error" in set) return unknown(set.error, []);
  const idx = indexAppends(set.txns);
  if ("error" in idx) return unknown(idx.error, set.txns);
  const budget = new Budget(options);
  const findings = new Findings(options.maxWitnesses ?? 8);
  const incomplete: string[] = [];
  let timedOut: string | null = null;
  try {
    budget.check("reading transactions");
    const obs = observe(set.txns, idx.keys, idx.byKey, findings);
    budget.check("inferring version orders");
    inferVersionOrders(obs.keys, obs.txns, findings);
    findIntermediateReads(obs, findings);
    findLostUpdates(obs, findings);
    findCycles(obs, set, wanted, findings, budget, incomplete);
  } catch (err) {
    if (!(err instanceof OutOfTime)) throw err;
    timedOut = err.message;
  }
  if (timedOut !== null) incomplete.push(timedOut);
  const found = ANOMALY_KINDS.filter((k) => findings.counts.has(k));
  const details: ListAppendDetails = {
    anomalyTypes: found.filter((k) => wanted.has(k)),
    counts: Object.fromEntries(found.map((k) => [k, findings.counts.get(k) as number])),
    allowed: found.filter((k) => !wanted.has(k)),
    rulesOut: modelsRuledOutByAll(found),
    txns: tally(set.txns),
    incomplete,
  };
  if (details.anomalyTypes.length > 0) {
    const anomalies = details.anomalyTypes.flatMap((k) => findings.kept.get(k) ?? []);
    return { valid: false, anomalies, ...details };
  }
  if (incomplete.length > 0) {
    return { valid: "unknown", reason: `analysis incomplete: ${incomplete.join("; ")}`, ...details };
  }
  return { valid: true, ...details };
}

function tally(txns: readonly Txn[]): ListAppendDetails["txns"] {
  const out = { ok: 0, fail: 0, info: 0 };
  for (const t of txns) out[t.outcome]++;
  return out;
}

function unknown(reason: string, txns: readonly Txn[]): ListAppendResult {
  return {
    valid: "unknown",
    reason,
    anomalyTypes: [],
    counts: {},
    allowed: [],
    rulesOut: [],
    txns: tally(txns),
    incomplete: [],
  };
}
