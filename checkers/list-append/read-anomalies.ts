/**
 * Anomalies found from first reads alone: intermediate reads (G1b) and lost updates.
 */
import type { Findings } from "./findings.js";
import { describeTxn, formatList, formatValue, rulesOutSentence, txnIndex, txnView } from "./format.js";
import type { FirstRead, Observations } from "./observations.js";
import type { AppendMop, Element } from "./types.js";

/**
 * G1b: a committed transaction observed a state whose last element is an append that its (other) transaction
 * followed with another append to the same key: it saw that transaction's intermediate state.
 */
export function findIntermediateReads(obs: Observations, findings: Findings): void {
  for (const fr of obs.firstReads) {
    if (fr.pre <= 0) continue;
    const e = fr.list[fr.pre - 1];
    const w = fr.key.writer.get(e);
    if (w === undefined || w === fr.txn || obs.txns[w].outcome === "fail") continue;
    const next = fr.key.nextOwn.get(e);
    if (next === undefined) continue;
    const reader = obs.txns[fr.txn];
    const writer = obs.txns[w];
    findings.add("G1b", () => ({
      explanation:
        `${describeTxn(reader, "T1")} read key ${formatValue(fr.key.key)} as ${formatList(fr.list)}, a state ` +
        `ending in ${formatValue(e)}, which ${describeTxn(writer, "T2")} appended and then followed with ` +
        `${formatValue(next)} in the same transaction: T1 saw T2's intermediate state. ` +
        rulesOutSentence("G1b"),
      ops: [txnIndex(reader), txnIndex(writer)],
      key: fr.key.key,
      element: e,
      txns: [txnView(reader, "T1"), txnView(writer, "T2")],
    }));
  }
}

/**
 * Lost update (Adya's H_lu; Elle's definition): two committed transactions read the same state of a key before
 * appending to it, and both appended. Whichever is serialized second should have seen the other's append.
 * Detected directly, so it is found even when neither append is ever read.
 */
export function findLostUpdates(obs: Observations, findings: Findings): void {
  const groups = new Map<unknown, Map<number, FirstRead[]>>();
  for (const fr of obs.firstReads) {
    if (!fr.beforeOwnAppend || !fr.appends || fr.pre < 0) continue;
    let byLen = groups.get(fr.key);
    if (byLen === undefined) groups.set(fr.key, (byLen = new Map()));
    const g = byLen.get(fr.list.length);
    if (g === undefined) byLen.set(fr.list.length, [fr]);
    else g.push(fr);
  }
  for (const byLen of groups.values()) {
    for (const g of byLen.values()) {
      if (g.length < 2) continue;
      for (const same of partitionBySameList(g)) if (same.length >= 2) reportLostUpdate(obs, same, findings);
    }
  }
}

function partitionBySameList(g: FirstRead[]): FirstRead[][] {
  const parts: FirstRead[][] = [];
  for (const fr of g) {
    const p = parts.find((x) => sameList(x[0].list, fr.list));
    if (p) p.push(fr);
    else parts.push([fr]);
  }
  return parts;
}

function sameList(a: readonly Element[], b: readonly Element[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function reportLostUpdate(obs: Observations, same: FirstRead[], findings: Findings): void {
  const key = same[0].key.key;
  findings.add("lost-update", () => {
    const txns = same.map((fr) => obs.txns[fr.txn]);
    const names = txns.map((_, i) => `T${i + 1}`);
    const appended = txns.map((t, i) => {
      const els = t.mops
        .filter((m): m is AppendMop => m[0] === "append" && m[1] === key)
        .map((m) => formatValue(m[2]));
      return `${names[i]} appended ${els.join(", ")}`;
    });
    return {
      explanation:
        `${txns.map((t, i) => describeTxn(t, names[i])).join(" and ")} ${txns.length === 2 ? "both" : "all"} read key ${formatValue(key)} as ` +
        `${formatList(same[0].list)} and then appended to it (${appended.join("; ")}): whichever committed ` +
        `later did not see the other's append, so an update was lost. ` +
        rulesOutSentence("lost-update"),
      ops: txns.map(txnIndex),
      key,
      read: same[0].list,
      txns: txns.map((t, i) => txnView(t, names[i])),
    };
  });
}
