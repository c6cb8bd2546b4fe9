/** Plain-text rendering of keys, elements, lists and transactions for explanations. */
import { modelsRuledOutBy } from "./models.js";
import type { Txn } from "./txns.js";
import type { Element, Key, ListAppendAnomalyKind, MicroOp, TxnView } from "./types.js";

/** `3` or `"x"`: numbers bare, strings quoted, so key 1 and key "1" read differently. */
export function formatValue(v: Key | Element): string {
  return typeof v === "number" ? String(v) : JSON.stringify(v);
}

/** `[1, 2, 3]`; lists longer than `max` show their first and last elements around `…`. */
export function formatList(list: readonly Element[], max = 12): string {
  if (list.length <= max) return `[${list.map(formatValue).join(", ")}]`;
  const head = list.slice(0, max - 4).map(formatValue);
  const tail = list.slice(-3).map(formatValue);
  return `[${head.join(", ")}, … (${list.length - max + 1} more) …, ${tail.join(", ")}]`;
}

/** `append 3 5` or `r 4 → [1, 2]` (`r 4 → ?` when unknown). */
export function formatMop(m: MicroOp): string {
  if (m[0] === "append") return `append ${formatValue(m[1])} ${formatValue(m[2])}`;
  return `r ${formatValue(m[1])} → ${m[2] === null ? "?" : formatList(m[2])}`;
}

/** The history index that names a transaction: its completion, or its invoke when it never completed. */
export function txnIndex(t: Txn): number {
  return t.completeIndex >= 0 ? t.completeIndex : t.invokeIndex;
}

/** `T1 (op 12, process 3, ok: append 3 5; r 4 → [1, 2])`. */
export function describeTxn(t: Txn, name: string): string {
  return `${name} (op ${txnIndex(t)}, process ${t.process}, ${t.outcome}: ${t.mops.map(formatMop).join("; ")})`;
}

/** The transaction as shown in an anomaly. */
export function txnView(t: Txn, name: string): TxnView {
  return {
    name,
    index: txnIndex(t),
    invokeIndex: t.invokeIndex,
    process: t.process,
    outcome: t.outcome,
    mops: t.mops,
  };
}

/** ` Rules out: read-committed, …, strict-serializable.` */
export function rulesOutSentence(kind: ListAppendAnomalyKind): string {
  return `Rules out: ${modelsRuledOutBy(kind).join(", ")}.`;
}
