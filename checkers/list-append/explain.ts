/**
 * Explains a cycle step by step: each transaction with its micro-ops, then why each must precede the next, in
 * plain words, and the models the cycle rules out. Edge reasons are recomputed from the observations with the same
 * rules that created the edges (`dependencies.ts`), so the text always matches the graph.
 */
import type { CycleEdge } from "./cycle-search.js";
import { classify } from "./cycle-spec.js";
import { lastWriter, rwTargets, unreadAppenders, wrSource } from "./dependencies.js";
import type { AnomalyBody } from "./findings.js";
import { describeTxn, formatList, formatValue, rulesOutSentence, txnIndex, txnView } from "./format.js";
import { edgeTypeName, PROCESS, REALTIME, RW, WR, WW } from "./graph.js";
import type { KeyInfo, Observations } from "./observations.js";
import type { Txn } from "./txns.js";
import type { CycleKind, CycleStep, Element, Key } from "./types.js";

/**
 * Merges runs of consecutive process / real-time edges into one edge: real-time order is transitive (T1 ended
 * before T2 began, T2 before T3 began, so T1 before T3 began), and the graph only holds its transitive reduction.
 * A run with any real-time edge becomes real-time; a run of process edges stays process (one process, in order).
 */
export function collapseOrderRuns(cycle: readonly CycleEdge[]): CycleEdge[] {
  const isOrder = (e: CycleEdge): boolean => e.kind === PROCESS || e.kind === REALTIME;
  const startAt = cycle.findIndex((e) => !isOrder(e));
  if (startAt < 0) return [...cycle];
  const rotated = [...cycle.slice(startAt), ...cycle.slice(0, startAt)];
  const out: CycleEdge[] = [];
  for (const e of rotated) {
    const prev = out[out.length - 1];
    if (prev !== undefined && isOrder(prev) && isOrder(e)) {
      out[out.length - 1] = { from: prev.from, to: e.to, kind: prev.kind === REALTIME ? REALTIME : e.kind };
    } else out.push({ ...e });
  }
  return out;
}

const KIND_TEXT: Record<string, (rw: number) => string> = {
  G0: () => "a cycle of write-write dependencies (ww) alone",
  G1c: () => "a cycle of write-write and write-read dependencies (ww, wr): circular information flow",
  "G-single": () => "a cycle with exactly one anti-dependency (rw)",
  "G-nonadjacent": (rw) => `a cycle with ${rw} anti-dependencies (rw), no two of them adjacent`,
  "G2-item": (rw) => `a cycle with ${rw} anti-dependencies (rw), two of them adjacent`,
};

/** The anomaly for a witness cycle (already collapsed): kind, named transactions, steps, explanation. */
export function explainCycle(
  obs: Observations,
  cycle: readonly CycleEdge[],
): AnomalyBody & { kind: CycleKind } {
  const kind = classify(cycle.map((e) => e.kind));
  const names = new Map<number, string>();
  cycle.forEach((e, i) => names.set(e.from, `T${i + 1}`));
  const name = (t: number): string => names.get(t) as string;
  const steps: CycleStep[] = cycle.map((e) => ({
    from: name(e.from),
    to: name(e.to),
    type: edgeTypeName(e.kind),
    explanation: `${name(e.from)} < ${name(e.to)} because ${edgeReason(obs, e, name)}`,
  }));
  const base = kind.replace(/-(process|realtime)$/, "");
  const rw = cycle.filter((e) => e.kind === RW).length;
  const variant = kind.endsWith("-realtime")
    ? ", closed only by real-time order"
    : kind.endsWith("-process")
      ? ", closed only by process order"
      : "";
  const txns = cycle.map((e) => obs.txns[e.from]);
  const explanation = [
    `${kind}: ${KIND_TEXT[base](rw)}${variant}, among ${cycle.length} transactions:`,
    ...txns.map((t) => describeTxn(t, name(t.id))),
    ...steps.map((s, i) => `${s.explanation}${i === steps.length - 1 ? "." : ";"}`),
    `So T1 would have to precede itself: no order of these transactions explains what they observed. ` +
      rulesOutSentence(kind),
  ].join("\n");
  return {
    kind,
    explanation,
    ops: txns.map(txnIndex),
    cycle: txns.map((t) => txnView(t, name(t.id))),
    steps,
  };
}

/** Why `e.from` must precede `e.to`, in words (without the leading "Ta < Tb because"). */
export function edgeReason(obs: Observations, e: CycleEdge, name: (t: number) => string): string {
  const a = obs.txns[e.from];
  const b = obs.txns[e.to];
  const A = name(e.from);
  const B = name(e.to);
  switch (e.kind) {
    case WW: {
      const r = wwWitness(obs, a, b.id);
      if (r !== null) {
        return (
          `${B} appended ${formatValue(r.next)} to key ${formatValue(r.key)} right after ${A}'s append of ` +
          `${formatValue(r.element)} (ww)`
        );
      }
      for (const m of b.mops) {
        if (m[0] !== "append") continue;
        const info = obs.byKey.get(m[1]) as KeyInfo;
        if (info.pos === null || info.pos.has(m[2]) || lastWriter(obs, info) !== a.id) continue;
        const v = info.order as readonly Element[];
        return (
          `${B} appended ${formatValue(m[2])} to key ${formatValue(m[1])}, which no read shows: it came after ` +
          `every element reads show, the last of which is ${A}'s append of ${formatValue(v[v.length - 1])} (ww)`
        );
      }
      break;
    }
    case WR: {
      for (const r of readsOf(obs, b)) {
        if (wrSource(obs, r.key, b.id, r.list) !== a.id) continue;
        return (
          `${B} read ${A}'s append of ${formatValue(r.list[r.list.length - 1])} to key ${formatValue(r.key.key)} ` +
          `(it read ${formatList(r.list)}) (wr)`
        );
      }
      break;
    }
    case RW: {
      for (const r of readsOf(obs, a)) {
        const unread = unreadAppenders(obs, r.key);
        const t = rwTargets(obs, r.key, a.id, r.list, unread).find((x) => x.txn === b.id);
        if (t === undefined) continue;
        const how = !unread.includes(b.id)
          ? "appended next"
          : b.outcome === "ok"
            ? "appended and committed, though no read ever shows it"
            : "appended (its outcome is unknown, but reads show its other appends), though no read ever shows it";
        return (
          `${A} read key ${formatValue(r.key.key)} as ${formatList(r.list)}, without ${formatValue(t.element)}, ` +
          `which ${B} ${how} (rw)`
        );
      }
      break;
    }
    case PROCESS:
      return `process ${a.process} ran ${B} after ${A} (process)`;
    case REALTIME:
      return `${A} completed (op ${a.completeIndex}) before ${B} was invoked (op ${b.invokeIndex}) (realtime)`;
  }
  // Unreachable: every edge was created by the rules above.
  return `of a ${edgeTypeName(e.kind)} dependency`;
}

/** The list reads of a committed transaction, with their keys. */
function readsOf(obs: Observations, t: Txn): { key: KeyInfo; list: readonly Element[] }[] {
  if (t.outcome !== "ok") return [];
  const out: { key: KeyInfo; list: readonly Element[] }[] = [];
  for (const m of t.mops) {
    if (m[0] === "r") out.push({ key: obs.byKey.get(m[1]) as KeyInfo, list: m[2] ?? [] });
  }
  return out;
}

function wwWitness(
  obs: Observations,
  a: Txn,
  b: number,
): { key: Key; element: Element; next: Element } | null {
  for (const m of a.mops) {
    if (m[0] !== "append") continue;
    const info = obs.byKey.get(m[1]) as KeyInfo;
    if (info.order === null || info.pos === null) continue;
    const i = info.pos.get(m[2]);
    if (i === undefined || i + 1 >= info.order.length) continue;
    const next = info.order[i + 1];
    if (info.writer.get(next) === b) return { key: m[1], element: m[2], next };
  }
  return null;
}
