/**
 * Dependency inference (Elle's rules for list-append, Adya's edge kinds):
 *
 * - **ww** T1 → T2: in a key's version order, an element T2 appended comes right after one T1 appended.
 * - **wr** T1 → T2: the last element of the state T2 first observed in a key (its read, less its own appends) is
 *   T1's. Earlier elements need no edge of their own: ww edges already order their writers before T1.
 * - **rw** T1 → T2: T1 observed a state of a key, and the first element after that state in the version order
 *   that is not part of the same writer's run is T2's: T1 did not see T2's append, so T1 comes first.
 * - **rw**, unobserved append: T1 observed a state of a key, and T2 committed (`ok`) an append to that key that no
 *   read ever shows. Lists only grow, so T1's state cannot include T2's append: T1 comes first. (Elle infers rw only
 *   from the version order; this extra, sound rule is what lets a lost acknowledged append close a cycle.)
 * - **process** T1 → T2: the same process ran T2 after T1, T1 committed, and no committed transaction of the
 *   process ran in between.
 * - **realtime** T1 → T2: T1 completed before T2 was invoked; only the transitive reduction is built (each
 *   transaction gets edges from the completed transactions not already ordered before another completed one), so
 *   the graph stays linear in the history times the concurrency.
 *
 * Aborted (`fail`) transactions are not vertices. `info` transactions are: their reads are unknown, but their
 * appends, once read, show they committed; they never complete, so no real-time edge leaves them.
 */
import { EdgeBuilder, PROCESS, REALTIME, RW, WR, WW } from "./graph.js";
import type { Graph } from "./graph.js";
import type { FirstRead, KeyInfo, Observations } from "./observations.js";
import type { TxnSet } from "./txns.js";
import type { Element } from "./types.js";

/** The transaction whose append `fr` observed last, if it yields a wr edge; -1 otherwise. */
export function wrSource(obs: Observations, fr: FirstRead): number {
  if (fr.pre <= 0 || fr.key.order === null) return -1;
  const w = fr.key.writer.get(fr.list[fr.pre - 1]);
  if (w === undefined || w === fr.txn || obs.txns[w].outcome === "fail") return -1;
  return w;
}

/** The transaction (and its element) whose append `fr` did not observe, if it yields an rw edge. */
export function rwTarget(obs: Observations, fr: FirstRead): { txn: number; element: Element } | null {
  const v = fr.key.order;
  if (fr.pre < 0 || v === null) return null;
  let j = fr.pre;
  if (j > 0) {
    const last = fr.key.writer.get(v[j - 1]);
    // A state ending in the last writer's own appends: it read T's first appends but not the rest (G1b). Skipping T's
    // run keeps the edge sound; G1b is reported on its own.
    if (last === fr.txn) return null;
    while (j < v.length && fr.key.writer.get(v[j]) === last) j++;
  }
  if (j >= v.length) return null;
  const x = fr.key.writer.get(v[j]);
  if (x === undefined || x === fr.txn || obs.txns[x].outcome === "fail") return null;
  return { txn: x, element: v[j] };
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
  if (kinds & (WR | RW)) {
    for (const fr of obs.firstReads) {
      if (kinds & WR) {
        const w = wrSource(obs, fr);
        if (w >= 0) b.add(w, fr.txn, WR);
      }
      if (kinds & RW) {
        const t = rwTarget(obs, fr);
        if (t !== null) b.add(fr.txn, t.txn, RW);
      }
    }
    if (kinds & RW) addUnobservedRw(obs, b);
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

/**
 * The committed appenders of a key whose appends no read shows (only for keys with a version order). One entry per
 * transaction, in id order.
 */
export function unobservedAppenders(obs: Observations, key: KeyInfo): number[] {
  if (key.pos === null) return [];
  const out = new Set<number>();
  for (const [e, w] of key.writer) {
    if (obs.txns[w].outcome === "ok" && !key.pos.has(e)) out.add(w);
  }
  return [...out].sort((a, b) => a - b);
}

function addUnobservedRw(obs: Observations, b: EdgeBuilder): void {
  const byKey = new Map<KeyInfo, number[]>();
  for (const info of obs.keys) {
    const u = unobservedAppenders(obs, info);
    if (u.length > 0) byKey.set(info, u);
  }
  if (byKey.size === 0) return;
  for (const fr of obs.firstReads) {
    const u = byKey.get(fr.key);
    if (u === undefined || fr.pre < 0) continue;
    // A state ending in an intermediate append of T while T's later append is unobserved is G1b, reported on its
    // own; as in rwTarget, no rw edge goes back to the writer whose run the state ends in.
    const last = fr.pre > 0 ? fr.key.writer.get(fr.list[fr.pre - 1]) : undefined;
    for (const w of u) if (w !== last) b.add(fr.txn, w, RW);
  }
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
