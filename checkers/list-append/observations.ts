/**
 * What the transactions say about each list: who appended each element, every list read, and each committed
 * transaction's first read of each key (the state it observed before its own appends). Finds the anomalies visible
 * inside one transaction: internal inconsistency and future reads.
 */
import type { Findings } from "./findings.js";
import { describeTxn, formatList, formatValue, rulesOutSentence, txnIndex, txnView } from "./format.js";
import type { Txn } from "./txns.js";
import type { Element, Key } from "./types.js";

/** Everything known about one list. */
export interface KeyInfo {
  key: Key;
  /** Element → id of the transaction that appended it (any outcome). */
  writer: Map<Element, number>;
  /** For an intermediate append (not its transaction's last to this key): that transaction's next append. */
  nextOwn: Map<Element, Element>;
  /** Every list read of this key by a committed transaction, with the reader's id. */
  reads: { txn: number; list: readonly Element[] }[];
  /** The version order (the longest read) when every read is a prefix of it and it has no duplicates. */
  order: readonly Element[] | null;
  /** Element → position in `order`. */
  pos: Map<Element, number> | null;
}

/** A committed transaction's first read of a key. */
export interface FirstRead {
  txn: number;
  key: KeyInfo;
  list: readonly Element[];
  /**
   * How many leading elements of `list` are the state observed before the transaction's own appends (the whole list
   * when it read before appending), or -1 when that state cannot be told (the read disagrees with its own appends).
   */
  pre: number;
  /** True when the read came before the transaction's first append to the key. */
  beforeOwnAppend: boolean;
  /** True when the transaction appends to the key (before or after this read). */
  appends: boolean;
}

/** The observations of a history. */
export interface Observations {
  txns: Txn[];
  keys: KeyInfo[];
  byKey: Map<Key, KeyInfo>;
  /** First reads, grouped by transaction in id order. */
  firstReads: FirstRead[];
  /** First reads of transaction `t` are `firstReads[firstReadStart[t] … firstReadStart[t + 1])`. */
  firstReadStart: Int32Array;
}

/** Indexes the appends of all transactions; a message when an element is appended twice to one key. */
export function indexAppends(txns: Txn[]): { keys: KeyInfo[]; byKey: Map<Key, KeyInfo> } | { error: string } {
  const byKey = new Map<Key, KeyInfo>();
  const keys: KeyInfo[] = [];
  const keyInfo = (k: Key): KeyInfo => {
    let info = byKey.get(k);
    if (info === undefined) {
      info = { key: k, writer: new Map(), nextOwn: new Map(), reads: [], order: null, pos: null };
      byKey.set(k, info);
      keys.push(info);
    }
    return info;
  };
  const last = new Map<KeyInfo, Element>();
  for (const t of txns) {
    last.clear();
    for (const m of t.mops) {
      const info = keyInfo(m[1]);
      if (m[0] !== "append") continue;
      const prior = info.writer.get(m[2]);
      if (prior !== undefined) {
        return {
          error:
            `ops ${txnIndex(txns[prior])} and ${txnIndex(t)} both append ${formatValue(m[2])} to key ` +
            `${formatValue(m[1])}; the list-append checker needs elements unique per key`,
        };
      }
      info.writer.set(m[2], t.id);
      const prev = last.get(info);
      if (prev !== undefined) info.nextOwn.set(prev, m[2]);
      last.set(info, m[2]);
    }
  }
  return { keys, byKey };
}

interface TxnKeyState {
  /**
   * The list as the transaction should now see it, once it has read the key: its last read (not copied) followed by
   * the appends it made since.
   */
  knownBase: readonly Element[] | null;
  knownExtra: Element[] | null;
  /** Its own appends so far. */
  own: Element[];
  /** All its appends to the key, in order. */
  all: Element[];
  firstDone: boolean;
}

/** Walks every committed transaction: records reads and first reads, reports internal and future reads. */
export function observe(
  txns: Txn[],
  keys: KeyInfo[],
  byKey: Map<Key, KeyInfo>,
  findings: Findings,
): Observations {
  const firstReads: FirstRead[] = [];
  const firstReadStart = new Int32Array(txns.length + 1);
  const state = new Map<KeyInfo, TxnKeyState>();
  for (const t of txns) {
    firstReadStart[t.id] = firstReads.length;
    if (t.outcome !== "ok") continue;
    state.clear();
    for (const m of t.mops) {
      const info = byKey.get(m[1]) as KeyInfo;
      let s = state.get(info);
      if (s === undefined) {
        s = { knownBase: null, knownExtra: null, own: [], all: [], firstDone: false };
        state.set(info, s);
      }
      if (m[0] === "append") s.all.push(m[2]);
    }
    for (const m of t.mops) {
      const info = byKey.get(m[1]) as KeyInfo;
      const s = state.get(info) as TxnKeyState;
      if (m[0] === "append") {
        s.own.push(m[2]);
        if (s.knownBase !== null) (s.knownExtra ??= []).push(m[2]);
        continue;
      }
      const list = m[2] as readonly Element[];
      info.reads.push({ txn: t.id, list });
      const future = futureElement(s, list);
      if (future !== undefined) {
        findings.add("future-read", () => ({
          explanation:
            `${describeTxn(t, "T1")} read key ${formatValue(info.key)} as ${formatList(list)}, which includes ` +
            `${formatValue(future)}, an element T1 itself appends only later in the same transaction. ` +
            rulesOutSentence("future-read"),
          ops: [txnIndex(t)],
          key: info.key,
          element: future,
          txns: [txnView(t, "T1")],
        }));
      }
      const base = s.knownBase;
      const extra = s.knownExtra;
      const consistent =
        base !== null ? matchesKnown(list, base, extra) : s.own.length === 0 || endsWith(list, s.own);
      if (!consistent) {
        const expected = base !== null ? [...base, ...(extra ?? [])] : null;
        const what =
          expected !== null
            ? `its own earlier reads and appends say it should be ${formatList(expected)}`
            : `it should end with its own earlier appends ${formatList(s.own)}`;
        findings.add("internal", () => ({
          explanation:
            `${describeTxn(t, "T1")} read key ${formatValue(info.key)} as ${formatList(list)}, but ${what}. ` +
            rulesOutSentence("internal"),
          ops: [txnIndex(t)],
          key: info.key,
          read: list,
          expected: expected !== null ? [...expected] : null,
          ownAppends: [...s.own],
          txns: [txnView(t, "T1")],
        }));
      }
      if (!s.firstDone) {
        s.firstDone = true;
        const pre = future !== undefined || !consistent ? -1 : list.length - s.own.length;
        firstReads.push({
          txn: t.id,
          key: info,
          list,
          pre,
          beforeOwnAppend: s.own.length === 0,
          appends: s.all.length > 0,
        });
      }
      s.knownBase = list;
      s.knownExtra = null;
    }
  }
  firstReadStart[txns.length] = firstReads.length;
  return { txns, keys, byKey, firstReads, firstReadStart };
}

/** An element of `list` that the transaction appends after this read, if any. */
function futureElement(s: TxnKeyState, list: readonly Element[]): Element | undefined {
  for (let i = s.own.length; i < s.all.length; i++) {
    if (list.includes(s.all[i])) return s.all[i];
  }
  return undefined;
}

function matchesKnown(list: readonly Element[], base: readonly Element[], extra: Element[] | null): boolean {
  const n = extra === null ? 0 : extra.length;
  if (list.length !== base.length + n) return false;
  for (let i = 0; i < base.length; i++) if (list[i] !== base[i]) return false;
  for (let i = 0; i < n; i++) if (list[base.length + i] !== (extra as Element[])[i]) return false;
  return true;
}

function endsWith(list: readonly Element[], suffix: readonly Element[]): boolean {
  if (list.length < suffix.length) return false;
  const off = list.length - suffix.length;
  for (let i = 0; i < suffix.length; i++) if (list[off + i] !== suffix[i]) return false;
  return true;
}
