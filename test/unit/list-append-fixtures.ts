/**
 * Hand-written list-append histories for the unit tests: a tiny builder that writes invoke / completion pairs
 * in the order the test says, with reads `null` on invoke and filled in on `ok`.
 */
import type { Op } from "../../checkers/history/op.js";

/** A micro-op as tests write it: reads carry their result (ignored on invoke). */
export type TestMop =
  ["append", string | number, string | number] | ["r", string | number, (string | number)[]];

/** Builds a history op by op. */
export class TxnHistory {
  readonly ops: Op[] = [];
  private readonly invoked = new Map<number, TestMop[]>();

  /** Invokes a transaction on `process` (its reads go out as `null`). */
  invoke(process: number, mops: TestMop[]): this {
    this.invoked.set(process, mops);
    return this.push(
      process,
      "invoke",
      mops.map((m) => (m[0] === "r" ? ["r", m[1], null] : m)),
    );
  }

  /** Completes the process's pending transaction as `ok`, with the reads it was invoked with. */
  ok(process: number): this {
    return this.push(process, "ok", this.take(process));
  }

  /** Completes it as `fail` (definitely aborted); the value is the invoke's. */
  fail(process: number): this {
    const mops = this.take(process);
    return this.push(
      process,
      "fail",
      mops.map((m) => (m[0] === "r" ? ["r", m[1], null] : m)),
    );
  }

  /** Completes it as `info` (unknown); the value is the invoke's. */
  info(process: number): this {
    const mops = this.take(process);
    return this.push(
      process,
      "info",
      mops.map((m) => (m[0] === "r" ? ["r", m[1], null] : m)),
    );
  }

  /** Invoke and `ok` in one go. */
  txn(process: number, mops: TestMop[]): this {
    return this.invoke(process, mops).ok(process);
  }

  /** Adds a non-transaction op (a nemesis fault, say), which the checker must ignore. */
  other(op: Omit<Op, "index" | "time">): this {
    this.ops.push({ ...op, index: this.ops.length, time: this.ops.length * 1000 });
    return this;
  }

  private take(process: number): TestMop[] {
    const mops = this.invoked.get(process);
    if (mops === undefined) throw new Error(`process ${process} has no pending txn`);
    this.invoked.delete(process);
    return mops;
  }

  private push(process: number, type: Op["type"], value: unknown): this {
    this.ops.push({ index: this.ops.length, time: this.ops.length * 1000, process, type, f: "txn", value });
    return this;
  }
}

/** x: [] → T1 appends 1 and T2 appends 2, both after reading [], so one update is lost. */
const lostUpdate = (): TxnHistory =>
  new TxnHistory()
    .invoke(0, [
      ["r", "x", []],
      ["append", "x", 1],
    ])
    .invoke(1, [
      ["r", "x", []],
      ["append", "x", 2],
    ])
    .ok(0)
    .ok(1);

/** The hand-written histories of the unit tests, one per anomaly (and the valid ones), by name. */
export const histories = {
  /** T2 reads 1, which T1 appended in a transaction that failed. */
  G1a: () =>
    new TxnHistory()
      .invoke(0, [["append", "x", 1]])
      .fail(0)
      .txn(1, [["r", "x", [1]]]),
  /** T1 appends 1 then 2; T2 reads [1], T1's intermediate state. */
  G1b: () =>
    new TxnHistory()
      .txn(0, [
        ["append", "x", 1],
        ["append", "x", 2],
      ])
      .txn(1, [["r", "x", [1]]]),
  /** A failed append of 1, a committed append of 2 after it, and a read of both. */
  dirtyUpdate: () =>
    new TxnHistory()
      .invoke(0, [["append", "x", 1]])
      .fail(0)
      .txn(1, [["append", "x", 2]])
      .txn(2, [["r", "x", [1, 2]]]),
  lostUpdate,
  /** Reads [1] and [2] of one key: two timelines. */
  incompatibleOrder: () =>
    new TxnHistory()
      .txn(0, [["append", "x", 1]])
      .txn(1, [["append", "x", 2]])
      .txn(2, [["r", "x", [1]]])
      .txn(3, [["r", "x", [2]]]),
  /** 1 was appended once and read twice in one list. */
  duplicate: () => new TxnHistory().txn(0, [["append", "x", 1]]).txn(1, [["r", "x", [1, 1]]]),
  /** 9 was never appended. */
  unexpected: () => new TxnHistory().txn(0, [["r", "x", [9]]]),
  /** T1 reads [], appends 1, then reads [] again. */
  internal: () =>
    new TxnHistory().txn(0, [
      ["r", "x", []],
      ["append", "x", 1],
      ["r", "x", []],
    ]),
  /** T1 reads [1] before appending 1 itself. */
  futureRead: () =>
    new TxnHistory().txn(0, [
      ["r", "x", [1]],
      ["append", "x", 1],
    ]),
  /** x orders T1 before T2, y orders T2 before T1: a write cycle. */
  G0: () =>
    new TxnHistory()
      .invoke(0, [
        ["append", "x", 1],
        ["append", "y", 2],
      ])
      .invoke(1, [
        ["append", "x", 3],
        ["append", "y", 4],
      ])
      .ok(0)
      .ok(1)
      .txn(2, [
        ["r", "x", [1, 3]],
        ["r", "y", [4, 2]],
      ]),
  /** Each reads the other's append: circular information flow. */
  G1c: () =>
    new TxnHistory()
      .invoke(0, [
        ["append", "x", 1],
        ["r", "y", [2]],
      ])
      .invoke(1, [
        ["append", "y", 2],
        ["r", "x", [1]],
      ])
      .ok(0)
      .ok(1),
  /** Read skew: T2 sees T1's append to y but not its append to x (later read by T3). */
  GSingle: () =>
    new TxnHistory()
      .invoke(0, [
        ["append", "x", 1],
        ["append", "y", 1],
      ])
      .invoke(1, [
        ["r", "x", []],
        ["r", "y", [1]],
      ])
      .ok(0)
      .ok(1)
      .txn(2, [["r", "x", [1]]]),
  /** Write skew: each reads the key the other appends to, empty. */
  G2Item: () =>
    new TxnHistory()
      .invoke(0, [
        ["r", "x", []],
        ["append", "y", 1],
      ])
      .invoke(1, [
        ["r", "y", []],
        ["append", "x", 2],
      ])
      .ok(0)
      .ok(1)
      .txn(2, [
        ["r", "x", [2]],
        ["r", "y", [1]],
      ]),
  /** rw, wr, rw, wr around four transactions: the anti-dependencies are never adjacent. */
  GNonadjacent: () =>
    new TxnHistory()
      .invoke(0, [
        ["r", "a", []],
        ["r", "d", [4]],
      ])
      .invoke(1, [
        ["append", "a", 1],
        ["append", "b", 2],
      ])
      .invoke(2, [
        ["r", "b", [2]],
        ["r", "c", []],
      ])
      .invoke(3, [
        ["append", "c", 3],
        ["append", "d", 4],
      ])
      .ok(0)
      .ok(1)
      .ok(2)
      .ok(3)
      .txn(4, [
        ["r", "a", [1]],
        ["r", "c", [3]],
      ]),
  /** A stale read: T2 starts after T1 appended 1 and completed, yet reads []. */
  staleReadRealtime: () =>
    new TxnHistory()
      .txn(0, [["append", "x", 1]])
      .txn(1, [["r", "x", []]])
      .txn(2, [["r", "x", [1]]]),
  /** The same stale read by the process that appended: it fails to read its own write. */
  staleReadProcess: () =>
    new TxnHistory()
      .txn(0, [["append", "x", 1]])
      .txn(0, [["r", "x", []]])
      .txn(2, [["r", "x", [1]]]),
  /** A process reads 2 before its next transaction appends 2. */
  G1cProcess: () => new TxnHistory().txn(0, [["r", "x", [2]]]).txn(0, [["append", "x", 2]]),
  /** An acknowledged append of 2 that no read ever shows, though later reads see 1 and 3 (a failover lost it). */
  lostAcknowledgedAppend: () =>
    new TxnHistory()
      .txn(0, [["append", "x", 1]])
      .txn(1, [["append", "x", 2]])
      .txn(2, [["append", "x", 3]])
      .txn(3, [["r", "x", [1, 3]]]),
  /** Serial transactions over two keys, every read exactly right. */
  serial: () =>
    new TxnHistory()
      .txn(0, [
        ["r", "x", []],
        ["append", "x", 1],
        ["r", "x", [1]],
      ])
      .txn(1, [
        ["append", "x", 2],
        ["append", "y", 1],
      ])
      .txn(0, [
        ["r", "x", [1, 2]],
        ["r", "y", [1]],
        ["append", "y", 2],
      ])
      .txn(1, [
        ["r", "y", [1, 2]],
        ["r", "x", [1, 2]],
      ]),
  /**
   * Concurrent transactions with an `info` that happened (its 2 is read later), an `info` that did not (3 is never
   * read), a `fail` (4 never read), a nemesis op in between and a process retired after its `info`.
   */
  concurrentWithInfo: () =>
    new TxnHistory()
      .invoke(0, [
        ["r", "x", []],
        ["append", "x", 1],
      ])
      .invoke(1, [["append", "x", 2]])
      .invoke(2, [["append", "x", 3]])
      .ok(0)
      .other({ process: "nemesis", type: "info", f: "partition-leader", value: null })
      .info(1)
      .invoke(3, [["append", "x", 4]])
      .info(2)
      .fail(3)
      .invoke(4, [["r", "x", [1, 2]]])
      .invoke(5, [["r", "x", [1]]])
      .ok(5)
      .ok(4)
      .invoke(6, [["append", "x", 5]]),
};
