/**
 * Per key, the version order: the longest list read, provided every other read is a prefix of it (lists only grow
 * at the end, so every state a transaction can observe is a prefix of the final one). Reports what breaks that:
 * incompatible orders and duplicate elements; and what the reads contain that should not be there: elements of
 * aborted transactions (G1a), elements nobody appended, and committed appends built on aborted ones (dirty update).
 * Keys whose reads disagree get no version order, so no dependency is inferred from them.
 */
import type { Findings } from "./findings.js";
import { describeTxn, formatList, formatValue, rulesOutSentence, txnIndex, txnView } from "./format.js";
import type { KeyInfo } from "./observations.js";
import type { Txn } from "./txns.js";
import type { Element } from "./types.js";

/** Sets `order` and `pos` of every key whose reads agree, and reports the read anomalies above. */
export function inferVersionOrders(keys: KeyInfo[], txns: Txn[], findings: Findings): void {
  for (const info of keys) {
    if (info.reads.length === 0) continue;
    let longest = info.reads[0];
    for (const r of info.reads) if (r.list.length > longest.list.length) longest = r;
    const v = longest.list;
    const scan = scanList(info, v, txns);
    let usable = scan.dupEnd === Infinity;
    let incompatibleReported = false;
    let lastG1a = -1;
    let lastUnexpected = -1;
    let lastDup = -1;
    for (const r of info.reads) {
      const prefix = isPrefix(r.list, v);
      const s = prefix ? scan : scanList(info, r.list, txns);
      const n = prefix ? r.list.length : Infinity;
      if (!prefix) {
        usable = false;
        if (!incompatibleReported) {
          incompatibleReported = true;
          reportIncompatible(info, txns, r, longest, findings);
        }
      }
      const reader = txns[r.txn];
      if (n > s.dupEnd && lastDup !== r.txn) {
        lastDup = r.txn;
        findings.add("duplicate-elements", () => ({
          explanation:
            `${describeTxn(reader, "T1")} read key ${formatValue(info.key)} as ${formatList(r.list)}, in which ` +
            `${formatValue(s.dupElement as Element)} appears more than once, though it was appended at most once. ` +
            rulesOutSentence("duplicate-elements"),
          ops: [txnIndex(reader)],
          key: info.key,
          element: s.dupElement,
          read: r.list,
          txns: [txnView(reader, "T1")],
        }));
      }
      if (n > s.failedAt && lastG1a !== r.txn) {
        lastG1a = r.txn;
        const writer = txns[info.writer.get(s.failedElement as Element) as number];
        findings.add("G1a", () => ({
          explanation:
            `${describeTxn(reader, "T1")} read key ${formatValue(info.key)} as ${formatList(r.list)}, which ` +
            `includes ${formatValue(s.failedElement as Element)}, appended by ${describeTxn(writer, "T2")}, a ` +
            `transaction that failed (aborted): an aborted read. ` +
            rulesOutSentence("G1a"),
          ops: [txnIndex(reader), txnIndex(writer)],
          key: info.key,
          element: s.failedElement,
          txns: [txnView(reader, "T1"), txnView(writer, "T2")],
        }));
      }
      if (n > s.unknownAt && lastUnexpected !== r.txn) {
        lastUnexpected = r.txn;
        findings.add("unexpected-element", () => ({
          explanation:
            `${describeTxn(reader, "T1")} read key ${formatValue(info.key)} as ${formatList(r.list)}, which ` +
            `includes ${formatValue(s.unknownElement as Element)}, but no transaction appended it to that key. ` +
            rulesOutSentence("unexpected-element"),
          ops: [txnIndex(reader)],
          key: info.key,
          element: s.unknownElement,
          txns: [txnView(reader, "T1")],
        }));
      }
    }
    if (!usable) continue;
    info.order = v;
    const pos = new Map<Element, number>();
    for (let i = 0; i < v.length; i++) pos.set(v[i], i);
    info.pos = pos;
    if (scan.failedAt !== Infinity) reportDirtyUpdate(info, txns, scan.failedAt, findings);
  }
}

interface ListScan {
  /** Index of the first repeated occurrence of an element (Infinity when none). */
  dupEnd: number;
  dupElement?: Element;
  /** Index of the first element appended by a failed transaction. */
  failedAt: number;
  failedElement?: Element;
  /** Index of the first element nobody appended. */
  unknownAt: number;
  unknownElement?: Element;
}

function scanList(info: KeyInfo, list: readonly Element[], txns: Txn[]): ListScan {
  const out: ListScan = { dupEnd: Infinity, failedAt: Infinity, unknownAt: Infinity };
  const seen = new Set<Element>();
  for (let i = 0; i < list.length; i++) {
    const e = list[i];
    if (seen.has(e)) {
      if (out.dupEnd === Infinity) {
        out.dupEnd = i;
        out.dupElement = e;
      }
    } else seen.add(e);
    const w = info.writer.get(e);
    if (w === undefined) {
      if (out.unknownAt === Infinity) {
        out.unknownAt = i;
        out.unknownElement = e;
      }
    } else if (txns[w].outcome === "fail" && out.failedAt === Infinity) {
      out.failedAt = i;
      out.failedElement = e;
    }
  }
  return out;
}

function isPrefix(a: readonly Element[], b: readonly Element[]): boolean {
  if (a.length > b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function reportIncompatible(
  info: KeyInfo,
  txns: Txn[],
  r: { txn: number; list: readonly Element[] },
  longest: { txn: number; list: readonly Element[] },
  findings: Findings,
): void {
  const a = txns[r.txn];
  const b = txns[longest.txn];
  const same = a === b;
  findings.add("incompatible-order", () => ({
    explanation:
      `${describeTxn(a, "T1")} read key ${formatValue(info.key)} as ${formatList(r.list)}` +
      (same ? " and later in the same transaction" : ` and ${describeTxn(b, "T2")}`) +
      ` read it as ${formatList(longest.list)}: neither is a prefix of the other, so the two reads cannot come ` +
      `from one list that only grows at the end. ` +
      rulesOutSentence("incompatible-order"),
    ops: same ? [txnIndex(a)] : [txnIndex(a), txnIndex(b)],
    key: info.key,
    reads: [r.list, longest.list],
    txns: same ? [txnView(a, "T1")] : [txnView(a, "T1"), txnView(b, "T2")],
  }));
}

function reportDirtyUpdate(info: KeyInfo, txns: Txn[], failedAt: number, findings: Findings): void {
  const v = info.order as readonly Element[];
  for (let i = failedAt + 1; i < v.length; i++) {
    const w = info.writer.get(v[i]);
    if (w === undefined || txns[w].outcome === "fail") continue;
    const aborted = txns[info.writer.get(v[failedAt]) as number];
    const committed = txns[w];
    findings.add("dirty-update", () => ({
      explanation:
        `In key ${formatValue(info.key)}'s version order ${formatList(v)}, ${formatValue(v[i])}, appended by ` +
        `${describeTxn(committed, "T1")}, comes after ${formatValue(v[failedAt])}, appended by ` +
        `${describeTxn(aborted, "T2")}, which failed: a committed append built on an aborted one. ` +
        rulesOutSentence("dirty-update"),
      ops: [txnIndex(committed), txnIndex(aborted)],
      key: info.key,
      element: v[i],
      abortedElement: v[failedAt],
      txns: [txnView(committed, "T1"), txnView(aborted, "T2")],
    }));
    return;
  }
}
