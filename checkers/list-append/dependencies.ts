/**
 * Dependency inference: Elle's rules for list-append (Kingsbury & Alvaro, VLDB 2020; `elle.list-append`), giving
 * Adya's edge kinds. A key's version order is its longest read (`version-order.ts`). An append's place in it is where
 * that read shows it; an append no read shows came after every element a read shows (lists only grow at the end, so
 * it is not between them), or after the empty list when no read shows any element. Every read of a committed
 * transaction counts, including reads of its own appends.
 *
 * - **ww** T1 → T2: the element right before T2's append in the version order is T1's. For an append no read shows:
 *   T1 appended the last element of the version order.
 * - **wr** T1 → T2: T2 read a list whose last element T1 appended. A read ending in the reader's own append gives
 *   none (the ww edge into that append orders it).
 * - **rw** T1 → T2: T1 read a list, and the element right after it in the version order is T2's: T1 did not see T2's
 *   append. When T1 read the whole version order (or the empty list, when no read shows any element): every
 *   transaction with an append to the key that no read shows. When T1's list ends in an intermediate append of T2
 *   (T2 appended again to the key), this edge and T2's wr edge make the G1b a G-single cycle too, as Elle reports it.
 * - **process** T1 → T2: the same process ran T2 after T1, T1 committed, and no committed transaction of the
 *   process ran in between.
 * - **realtime** T1 → T2: T1 completed before T2 was invoked; only the transitive reduction is built (each
 *   transaction gets edges from the completed transactions not already ordered before another completed one), so
 *   the graph stays linear in the history times the concurrency.
 *
 * Aborted (`fail`) transactions are not vertices and their appends give no edge. An append no read shows counts for
 * a committed (`ok`) or `info` transaction (an `info` one whose appends no read shows has no edge out, so it never
 * closes a cycle). Keys whose reads disagree (incompatible order, duplicates) have no version order: their reads
 * still give wr edges, but no ww or rw edge is inferred from them (Elle still uses the longest read there; faultline
 * reports the disagreement and infers nothing from a broken order).
 */
import { EdgeBuilder, PROCESS, REALTIME, RW, WR, WW } from "./graph.js";
import type { Graph } from "./graph.js";
import type { KeyInfo, Observations } from "./observations.js";
import type { TxnSet } from "./txns.js";
import type { Element } from "./types.js";

/** The transaction whose append is the last element of `list` (read by `reader`), if it yields a wr edge; else -1. */
export function wrSource(obs: Observations, key: KeyInfo, reader: number, list: readonly Element[]): number {
  if (list.length === 0) return -1;
  const w = key.writer.get(list[list.length - 1]);
  if (w === undefined || w === reader || obs.txns[w].outcome === "fail") return -1;
  return w;
}

/**
 * The transactions `reader` did not see when it read `list` of `key`, with the element of each that it missed: the
 * writer of the element right after `list` in the version order, or, when `list` is the whole order, every
 * transaction with an unread append to the key (`unread`, from {@link unreadAppenders}). Empty without an order.
 */
export function rwTargets(
  obs: Observations,
  key: KeyInfo,
  reader: number,
  list: readonly Element[],
  unread: readonly number[],
): { txn: number; element: Element }[] {
  const v = key.order;
  if (v === null || list.length > v.length) return [];
  if (list.length === v.length) {
    return unread.filter((t) => t !== reader).map((t) => ({ txn: t, element: unreadElement(obs, key, t) }));
  }
  const x = key.writer.get(v[list.length]);
  if (x === undefined || x === reader || obs.txns[x].outcome === "fail") return [];
  return [{ txn: x, element: v[list.length] }];
}

/** The ww source of an append that no read shows: the writer of the key's last ordered element, or -1. */
export function lastWriter(obs: Observations, key: KeyInfo): number {
  const v = key.order;
  if (v === null || v.length === 0) return -1;
  const w = key.writer.get(v[v.length - 1]);
  if (w === undefined || obs.txns[w].outcome === "fail") return -1;
  return w;
}

/**
 * The transactions, not known to have aborted (`ok` and `info`), with an append to `key` that no read shows (only
 * for keys with a version order). One entry per transaction, in id order.
 */
export function unreadAppenders(obs: Observations, key: KeyInfo): number[] {
  if (key.pos === null) return [];
  const out = new Set<number>();
  for (const [e, w] of key.writer) {
    if (obs.txns[w].outcome !== "fail" && !key.pos.has(e)) out.add(w);
  }
  return [...out].sort((a, b) => a - b);
}

/** The first append of `t` to `key` that no read shows. */
export function unreadElement(obs: Observations, key: KeyInfo, t: number): Element {
  for (const m of obs.txns[t].mops) {
    if (m[0] === "append" && m[1] === key.key && !(key.pos as Map<Element, number>).has(m[2])) return m[2];
  }
  throw new Error(`transaction ${t} has no unread append to key ${String(key.key)}`);
}

/** Builds the graph with the edge kinds in `kinds` (a mask of WW | WR | RW | PROCESS | REALTIME). */
export function buildGraph(obs: Observations, set: TxnSet, kinds: number): Graph {
  const { txns } = obs;
  const b = new EdgeBuilder(txns.length);
  if (kinds & WW) {
    for (const info of obs.keys) {
      const v = info.order;
      if (v === null) continue;
      for (let i = 1; i < v.length; i++) {
        const a = info.writer.get(v[i - 1]);
        const c = info.writer.get(v[i]);
        if (a === undefined || c === undefined) continue;
        if (txns[a].outcome === "fail" || txns[c].outcome === "fail") continue;
        b.add(a, c, WW);
      }
    }
  }
  if (kinds & (WW | WR | RW)) {
    for (const info of obs.keys) {
      const unread = unreadAppenders(obs, info);
      const lw = kinds & WW ? lastWriter(obs, info) : -1;
      if (lw >= 0) for (const t of unread) b.add(lw, t, WW);
      if ((kinds & (WR | RW)) === 0) continue;
      for (const r of info.reads) {
        if (kinds & WR) {
          const w = wrSource(obs, info, r.txn, r.list);
          if (w >= 0) b.add(w, r.txn, WR);
        }
        if (kinds & RW) for (const t of rwTargets(obs, info, r.txn, r.list, unread)) b.add(r.txn, t.txn, RW);
      }
    }
  }
  if (kinds & PROCESS) {
    const last = new Map<number, number>();
    for (const t of txns) {
      if (t.outcome === "fail") continue;
      const prev = last.get(t.process);
      if (prev !== undefined) b.add(prev, t.id, PROCESS);
      // Only a committed transaction orders the process's next one: an `info` one may still take effect later
      // (a process is retired after `info`, but a history that reuses the id must not make us unsound).
      if (t.outcome === "ok") last.set(t.process, t.id);
    }
  }
  if (kinds & REALTIME) addRealtime(obs, set, b);
  return b.build();
}

function addRealtime(obs: Observations, set: TxnSet, b: EdgeBuilder): void {
  const { txns } = obs;
  // Completed committed transactions none of which is known to precede another: every transaction invoked now
  // follows each of them, and through them every transaction that completed earlier still.
  const frontier: number[] = [];
  for (let i = 0; i < set.events.length; i++) {
    const ev = set.events[i];
    const t = txns[ev >> 1];
    if (t.outcome === "fail") continue;
    if ((ev & 1) === 0) {
      for (const f of frontier) b.add(f, t.id, REALTIME);
    } else if (t.outcome === "ok") {
      let kept = 0;
      for (const f of frontier) if (txns[f].completeIndex > t.invokeIndex) frontier[kept++] = f;
      frontier.length = kept;
      frontier.push(t.id);
    }
  }
}
