/**
 * The linearizability checker on worker threads (`checkers/linearizable/parallel.ts`): the same result as in one
 * thread on porcupine's corpus and on generated kv histories (valid, and with one lost append), the search of other
 * keys stopped once a key is found invalid, and every thread ended. `workerRound: 0` sends even small histories to
 * the threads (by default only keys still open after rounds 0 and 1 go there). Here the threads run the TypeScript
 * sources (tsx is registered in them); `linearizable-workers-dist.test.ts` runs them from dist/.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { parseHistory } from "../../checkers/history/index.js";
import type { Op } from "../../checkers/history/index.js";
import { checkLinearizable, models } from "../../checkers/linearizable/index.js";
import type { LinearizableOptions, LinearizableResult } from "../../checkers/linearizable/index.js";
import { liveWorkerThreads, workerThreadsExited } from "../../checkers/linearizable/parallel.js";
import { corpusDir, readManifest } from "../conformance/corpus.js";
import { generateKvHistory } from "../property/support/kv-history.js";
import { h } from "./linearizable-support.js";
import type { Line } from "./linearizable-support.js";

/** Options that send every key with a search left to the worker threads. */
const ON_WORKERS = { workers: 2, workerRound: 0 } as const;

/** A result without the `workers` record (the one field that says where the keys were searched). */
function withoutWorkers(r: LinearizableResult): Omit<LinearizableResult, "workers"> {
  const { workers: _workers, ...rest } = r;
  return rest;
}

/** Checks in one thread and on two workers; expects the same result and that the workers were used. */
function bothWays(history: Op[], options: LinearizableOptions): LinearizableResult {
  const here = checkLinearizable(history, { ...options, workers: 1 });
  const there = checkLinearizable(history, { ...options, ...ON_WORKERS });
  expect(here.workers).toBeUndefined();
  expect(withoutWorkers(there)).toEqual(withoutWorkers(here));
  return there;
}

afterEach(async () => {
  await workerThreadsExited();
  expect(liveWorkerThreads()).toBe(0);
});

describe("checkLinearizable on worker threads", () => {
  it("should give every porcupine corpus history the same result as in one thread", () => {
    let multiKey = 0;
    for (const entry of readManifest()) {
      const { history } = parseHistory(readFileSync(join(corpusDir, entry.file), "utf8"), {
        source: entry.file,
      });
      const r = bothWays(history, { model: entry.model as keyof typeof models });
      expect(String(r.valid), entry.file).toBe(entry.expected === "valid" ? "true" : "false");
      if (r.keyCount > 1) {
        multiKey++;
        expect(r.workers?.threads, entry.file).toBe(2);
      } else expect(r.workers, entry.file).toBeUndefined(); // one key: nothing to share
    }
    expect(multiKey).toBeGreaterThanOrEqual(4); // the kv files
  }, 300_000);

  it("should agree with one thread on generated kv histories, valid and with one lost append", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 3, max: 12 }),
        fc.integer({ min: 2, max: 5 }),
        fc.boolean(),
        (seed, clients, keys, violation) => {
          const { history } = generateKvHistory({ seed, clients, keys, opsPerClient: 12, violation });
          const r = bothWays(history, { model: "kv" });
          // Only a lost append is injected; a generated history without one is linearizable.
          expect(r.valid).toBe(violation ? false : true);
          expect(r.workers?.threads).toBe(2);
        },
      ),
      { numRuns: 8, seed: 20261207 },
    );
  }, 300_000);

  it("should stop searching a hard key once an earlier key is found invalid, and report the earlier one", () => {
    // Key "a": a read of a value never written (invalid at once). Key "b": 20 concurrent writes, then a read of a
    // value none of them wrote: invalid too, but only after every order of the writes (about 10 million
    // configurations). The keys go to different threads; "a" is earlier (first invoked), so it is the one reported,
    // and the thread searching "b" is stopped instead of running out of its memory budget.
    const writers = Array.from({ length: 20 }, (_, p) => p + 1);
    const lines: Line[] = [
      [0, "invoke", "read", null, "a"],
      [0, "ok", "read", 7, "a"],
      ...writers.map((p): Line => [p, "invoke", "write", p, "b"]),
      ...writers.map((p): Line => [p, "ok", "write", p, "b"]),
      [0, "invoke", "read", null, "b"],
      [0, "ok", "read", 99, "b"],
    ];
    const r = checkLinearizable(h(...lines), {
      model: "register",
      maxCacheBytes: 256 * 2 ** 20,
      ...ON_WORKERS,
    });
    expect(r.valid).toBe(false);
    expect(r.counterexample?.key).toBe("a");
    expect(r.keys).toEqual([{ key: "a", valid: false, ops: 1 }]);
    expect(r.workers).toEqual({ threads: 2, cancelled: 1 });
  }, 120_000);

  it("should stay in this thread with workers: 1, or for a model of one's own", () => {
    const { history } = generateKvHistory({ seed: 3, clients: 6, keys: 3, opsPerClient: 8 });
    expect(checkLinearizable(history, { model: "kv", workers: 1, workerRound: 0 }).workers).toBeUndefined();
    const own = { ...models.kv, name: "my-kv" };
    const r = checkLinearizable(history, { model: own, ...ON_WORKERS });
    expect(r.valid).toBe(true);
    expect(r.workers).toBeUndefined();
    expect(liveWorkerThreads()).toBe(0);
  });

  it("should name a bad workers option", () => {
    const r = checkLinearizable(h([0, "invoke", "read", null], [0, "ok", "read", null]), {
      model: "register",
      workers: 0,
    });
    expect(r).toMatchObject({ valid: "unknown", reason: "option workers must be an integer ≥ 1, got 0" });
  });
});
