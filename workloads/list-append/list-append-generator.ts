import type { OpGenerator } from "../workload.js";

/** A list the generator is appending to, and how many elements it has given it. */
export interface ActiveList {
  readonly key: number;
  readonly appended: number;
}

/** The state of {@link listAppendGenerator}. */
export interface ListAppendGeneratorState {
  /** The key the next fresh list gets. */
  readonly nextKey: number;
  /** The lists transactions currently pick from. */
  readonly active: readonly ActiveList[];
}

/** Options of {@link listAppendGenerator}, resolved (see `resolveListAppendOptions`). */
export interface ListAppendGeneratorOptions {
  /** How many lists transactions pick from at a time. */
  activeKeys: number;
  /** Micro-ops per transaction: 1…maxTxnLength. */
  maxTxnLength: number;
  /** After this many appends a list is retired and a fresh key takes its place (keeps reads short). */
  maxAppendsPerKey: number;
  /** Fraction of micro-ops that read. */
  readFraction: number;
}

/**
 * The list-append generator (Elle's): transactions of 1…`maxTxnLength` micro-ops, each `["r", k, null]` or
 * `["append", k, e]` on one of `activeKeys` lists picked at random. Keys are integers; elements are 1, 2, 3, … per
 * key, so every append is unique (the checker's contract). A list that has had `maxAppendsPerKey` appends is
 * replaced by a fresh key, so lists stay short and anomalies stay traceable to few transactions. Pure.
 *
 * @example
 * const g = listAppendGenerator({ activeKeys: 3, maxTxnLength: 4, maxAppendsPerKey: 32, readFraction: 0.5 });
 * g.next(g.initial, { process: 0, random }).op; // e.g. { f: "txn", value: [["append", 1, 1], ["r", 0, null]] }
 */
export function listAppendGenerator(o: ListAppendGeneratorOptions): OpGenerator<ListAppendGeneratorState> {
  return {
    initial: {
      nextKey: o.activeKeys,
      active: Array.from({ length: o.activeKeys }, (_, key) => ({ key, appended: 0 })),
    },
    next(state, { random }) {
      const active = state.active.slice();
      const length = 1 + random.int(o.maxTxnLength);
      const mops: (["append", number, number] | ["r", number, null])[] = [];
      for (let i = 0; i < length; i++) {
        const slot = random.int(active.length);
        const list = active[slot]!;
        if (random.next() < o.readFraction) {
          mops.push(["r", list.key, null]);
        } else {
          active[slot] = { key: list.key, appended: list.appended + 1 };
          mops.push(["append", list.key, list.appended + 1]);
        }
      }
      // Lists that are full are retired after the transaction (within it, their appends stay unique).
      let nextKey = state.nextKey;
      for (let s = 0; s < active.length; s++) {
        if (active[s]!.appended >= o.maxAppendsPerKey) active[s] = { key: nextKey++, appended: 0 };
      }
      return { op: { f: "txn", value: mops }, state: { nextKey, active } };
    },
  };
}
