import { describe, expect, it } from "vitest";
import { validateHistory, type Op } from "../../checkers/history/index.js";
import { prepareCheckers, runCheckers } from "../../checkers/registry/index.js";
import { WORKLOADS as CONFIG_WORKLOADS } from "../../harness/config/index.js";
import {
  counterWorkload,
  followerReadsWorkload,
  listAppendWorkload,
  registerWorkload,
  setWorkload,
  workloadByName,
  WORKLOADS,
  type Workload,
} from "../../workloads/index.js";
import { FakeStore } from "./support/fake-redis.js";
import { simulateWorkload } from "./support/simulate-workload.js";

/** Judges a history with the workload's own checkers, as a run does. */
function judge(w: Workload<any>, ops: readonly Op[]) {
  return runCheckers(
    prepareCheckers(w.checkers, (i) => `checkers[${i}]`),
    ops,
  );
}

const clientOps = (ops: readonly Op[], f?: string) =>
  ops.filter((o) => typeof o.process === "number" && o.type !== "invoke" && (f === undefined || o.f === f));

describe("WORKLOADS", () => {
  it("should register exactly the workloads the config accepts, each with a one-line description", () => {
    expect(Object.keys(WORKLOADS).sort()).toEqual([...CONFIG_WORKLOADS].sort());
    for (const name of CONFIG_WORKLOADS) {
      const w = workloadByName(name)!;
      expect(w.name).toBe(name);
      expect(w.description).not.toMatch(/\n/);
      expect(w.description.length).toBeGreaterThan(20);
      expect(w.checkers.length).toBeGreaterThan(0);
    }
    expect(workloadByName("toString")).toBeUndefined();
  });

  it("should make a fresh workload on every lookup", () => {
    expect(workloadByName("list-append")).not.toBe(workloadByName("list-append"));
  });
});

describe("setWorkload", () => {
  it("should be judged valid by set and set-full over a run with periodic reads", async () => {
    const w = setWorkload({ readEvery: 5 });
    const ops = await simulateWorkload(w);
    validateHistory(ops);
    const verdict = judge(w, ops);
    expect(verdict.valid).toBe(true);
    expect(Object.keys(verdict.results)).toEqual(["set", "set-full"]);
    const full = verdict.results["set-full"] as unknown as { stableCount: number };
    expect(full.stableCount).toBe(clientOps(ops, "add").length);
    expect(clientOps(ops, "read").length).toBeGreaterThan(50);
  });

  it("should be found to lose an add the final read misses", async () => {
    const w = setWorkload({ readEvery: 5 });
    const ops = await simulateWorkload(w);
    const final = ops.at(-1)!;
    const dropped = { ...final, value: (final.value as number[]).slice(1) };
    const verdict = judge(w, [...ops.slice(0, -1), dropped]);
    expect(verdict.results.set!.valid).toBe(false);
    expect(verdict.results["set-full"]!.valid).toBe(false);
  });
});

describe("registerWorkload", () => {
  it("should be linearizable (cas-register) when one store serves every op, with cas that both swap and fail", async () => {
    const w = registerWorkload();
    const ops = await simulateWorkload(w, { ops: 400 });
    validateHistory(ops);
    expect(clientOps(ops, "cas").filter((o) => o.type === "ok").length).toBeGreaterThan(10);
    // A cas whose compare did not match is a fail without an error: the model's "ran and did not swap".
    const notSwapped = clientOps(ops, "cas").filter((o) => o.type === "fail");
    expect(notSwapped.length).toBeGreaterThan(0);
    for (const o of notSwapped) expect(o).not.toHaveProperty("error");
    const verdict = judge(w, ops);
    expect(verdict.valid).toBe(true);
    const lin = verdict.results.linearizable as unknown as { keys: { ops: number }[] };
    expect(lin.keys.reduce((n, k) => n + k.ops, 0)).toBeGreaterThan(300);
  });

  it("should be found non-linearizable when a read returns a value overwritten before it began", async () => {
    const w = registerWorkload({ keys: 1 });
    const ops = await simulateWorkload(w, { ops: 200 });
    const reads = ops.filter((o) => o.f === "read" && o.type === "ok" && typeof o.value === "number");
    const late = reads.at(-1)!;
    const first = ops.find((o) => o.f === "write" && o.type === "ok")!;
    const tampered = ops.map((o) => (o === late ? { ...o, value: first.value } : o));
    expect(judge(w, tampered).results.linearizable!.valid).toBe(false);
  });
});

describe("listAppendWorkload", () => {
  it("should be strict-serializable (list-append) when one store runs every transaction", async () => {
    const w = listAppendWorkload({ maxAppendsPerKey: 8 });
    const ops = await simulateWorkload(w, { ops: 300 });
    validateHistory(ops);
    const verdict = judge(w, ops);
    expect(verdict.valid).toBe(true);
    // Lists were retired and replaced, and the final read covers every list used.
    const final = ops.at(-1)!.value as [string, number, number[]][];
    expect(final.length).toBeGreaterThan(3);
    expect(final.map((m) => m[1])).toEqual(final.map((_, i) => i));
    expect(final.some((m) => m[2].length === 8)).toBe(true);
  });

  it("should be found anomalous when a committed append vanishes from later reads", async () => {
    const w = listAppendWorkload({ activeKeys: 1, maxAppendsPerKey: 1000 });
    const ops = await simulateWorkload(w, { ops: 100 });
    const tampered = ops.map((o) => {
      if (o.type !== "ok" || o.f !== "txn" || o !== ops.at(-1)) return o;
      const [[r, k, list]] = o.value as [string, number, number[]][];
      return { ...o, value: [[r, k, list!.slice(1)]] };
    });
    expect(judge(w, tampered).valid).toBe(false);
  });
});

describe("counterWorkload", () => {
  it("should stay within the counter's bounds when one store counts", async () => {
    const w = counterWorkload();
    const ops = await simulateWorkload(w);
    validateHistory(ops);
    const verdict = judge(w, ops);
    expect(verdict.valid).toBe(true);
    expect(clientOps(ops, "read").length).toBeGreaterThan(50);
    expect(ops.at(-1)!.value).toBe(
      clientOps(ops, "incr")
        .filter((o) => o.type === "ok")
        .reduce((n, o) => n + (o.value as number), 0),
    );
  });

  it("should be found out of bounds when increments are lost", async () => {
    const w = counterWorkload();
    const ops = await simulateWorkload(w);
    const final = ops.at(-1)!;
    const tampered = [...ops.slice(0, -1), { ...final, value: (final.value as number) - 7 }];
    expect(judge(w, tampered).valid).toBe(false);
  });
});

describe("followerReadsWorkload", () => {
  it("should keep session guarantees and measure no staleness when followers are up to date", async () => {
    const w = followerReadsWorkload();
    const ops = await simulateWorkload(w);
    validateHistory(ops);
    expect(new Set(clientOps(ops, "read").map((o) => o.node))).toEqual(new Set(["n1", "n2"]));
    const verdict = judge(w, ops);
    expect(verdict.valid).toBe(true);
    const s = verdict.results.staleness as unknown as {
      overall: { reads: number; staleReads: number };
      byNode: Record<string, unknown>;
    };
    expect(s.overall.reads).toBeGreaterThan(100);
    expect(s.overall.staleReads).toBe(0);
    expect(Object.keys(s.byNode).sort()).toEqual(["n1", "n2"]);
  });

  it("should measure stale follower reads and broken session guarantees when the follower lags", async () => {
    const w = followerReadsWorkload();
    const lagging = new FakeStore();
    const ops = await simulateWorkload(w, {
      followerStore: lagging,
      // The follower catches up only every 40 ops.
      beforeOp: (n, leader) => void (n % 40 === 0 && lagging.catchUp(leader)),
    });
    const verdict = judge(w, ops);
    const s = verdict.results.staleness as unknown as {
      valid: boolean;
      byNode: Record<string, { staleReads: number; versionsBehind: { max: number } }>;
      readYourWritesViolations: number;
    };
    expect(s.byNode.n2!.staleReads).toBeGreaterThan(0);
    expect(s.byNode.n2!.versionsBehind.max).toBeGreaterThan(0);
    expect(s.byNode.n1!.staleReads).toBe(0);
    expect(s.readYourWritesViolations).toBeGreaterThan(0);
    expect(s.valid).toBe(false);
    expect(verdict.results["split-brain"]!.valid).not.toBe(false);
  });
});
