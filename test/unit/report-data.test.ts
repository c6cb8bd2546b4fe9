import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Op } from "../../checkers/history/index.js";
import { prepareCheckers, runCheckers, typedResults } from "../../checkers/registry/index.js";
import {
  anomalyStories,
  buildClusterTimeline,
  buildOpTable,
  buildReportData,
  cycleViews,
  faultPhrase,
  linearizableViews,
  nodePhrase,
  packColumn,
  packOps,
  unpackColumn,
  unpackOps,
  preview,
  readLagSample,
  replicationLag,
  throughput,
} from "../../harness/report/index.js";
import { TxnHistory } from "./list-append-fixtures.js";

const S = 1e9;

/** Rows as [time s, process, type, f, value, extra]. */
type Row = [number, Op["process"], Op["type"], string, unknown?, Partial<Op>?];
const hist = (...rows: Row[]): Op[] =>
  rows.map(([t, process, type, f, value, extra], index) => ({
    index,
    time: Math.round(t * S),
    process,
    type,
    f,
    ...(value === undefined ? {} : { value }),
    ...extra,
  }));

/**
 * Jepsen's 2013 Redis story in miniature: n1 leads; partition-leader #1 isolates n1 with c1; add 7 is acknowledged
 * by n1 during it; the managers name n3 at 5.0 s; the partition heals; n1 is converted to a follower at 9.8 s; the
 * final read (served by n3) misses 7.
 */
function partitionStory(): Op[] {
  return hist(
    [0.1, "monitor", "info", "leader", "n1"],
    [0.1, "monitor", "info", "writable-leaders", ["n1"]],
    [1.0, 0, "invoke", "add", 1, { key: "s" }],
    [1.01, 0, "ok", "add", 1, { key: "s", node: "n1" }],
    [2.0, "nemesis", "invoke", "start-partition-leader", null],
    [
      2.3,
      "nemesis",
      "ok",
      "start-partition-leader",
      { leader: "n1", withLeader: ["n1", "c1"], others: ["n2", "n3", "c2"] },
    ],
    [3.2, 1, "invoke", "add", 7, { key: "s" }],
    [3.21, 1, "ok", "add", 7, { key: "s", node: "n1" }],
    [5.0, "monitor", "info", "leader", "n3"],
    [5.1, "monitor", "info", "writable-leaders", ["n1", "n3"]],
    [6.0, 2, "invoke", "add", 8, { key: "s" }],
    [6.5, 2, "info", "add", 8, { key: "s", error: "timeout" }],
    [8.0, "nemesis", "invoke", "stop-partition-leader", null],
    [8.2, "nemesis", "ok", "stop-partition-leader", { healed: 4 }],
    [
      9.8,
      "monitor",
      "info",
      "manager-event",
      { manager: "s1", event: "+convert-to-slave", kind: "demoted", text: "slave n1", node: "n1" },
    ],
    [9.9, "monitor", "info", "writable-leaders", ["n3"]],
    [10.0, 0, "invoke", "read", null, { key: "s" }],
    [10.01, 0, "ok", "read", [1], { key: "s", node: "n3" }],
  );
}

describe("buildClusterTimeline", () => {
  it("should open a fault window at the start's invoke, close it at the stop's completion, and list demotions", () => {
    const tl = buildClusterTimeline(partitionStory());
    expect(tl.faults).toEqual([
      {
        fault: "partition-leader",
        startMs: 2000,
        appliedMs: 2300,
        endMs: 8200,
        detail: { leader: "n1", withLeader: ["n1", "c1"], others: ["n2", "n3", "c2"] },
      },
    ]);
    expect(tl.leaders).toEqual([
      { atMs: 100, leader: "n1" },
      { atMs: 5000, leader: "n3" },
    ]);
    expect(tl.demotions).toEqual([
      { atMs: 9800, node: "n1", how: "demoted" },
      { atMs: 9900, node: "n1", how: "writable-leaders" },
    ]);
    expect(tl.endMs).toBe(10010);
  });

  it("should close windows still open at the final heal, and mark a start of unknown outcome uncertain", () => {
    const tl = buildClusterTimeline(
      hist(
        [1, "nemesis", "invoke", "start-kill-leader", null],
        [1.5, "nemesis", "info", "start-kill-leader", null, { error: "timeout" }],
        [2, "nemesis", "invoke", "start-partition-leader", null],
        [2.5, "nemesis", "fail", "start-partition-leader", null, { error: "no leader" }],
        [4, "nemesis", "invoke", "final-heal", null],
        [4.5, "nemesis", "ok", "final-heal", { restarted: ["n1"] }],
      ),
    );
    expect(tl.faults).toEqual([
      { fault: "kill-leader", startMs: 1000, appliedMs: 1500, endMs: 4500, detail: null, uncertain: true },
    ]);
  });
});

describe("buildClusterTimeline (schedules)", () => {
  it("should close each scheduled window by its window id, and say what a link fault did", () => {
    const lat = {
      window: "f1",
      links: ["s1->n1", "s1->n2"],
      streams: ["downstream"],
      toxic: "latency",
      attributes: { latency: 1258, jitter: 352 },
    };
    const tl = buildClusterTimeline(
      hist(
        [1, "nemesis", "invoke", "start-latency-client-leader", { window: "f1" }],
        [1.1, "nemesis", "ok", "start-latency-client-leader", lat],
        [2, "nemesis", "invoke", "start-latency-client-leader", { window: "f2" }],
        [2.1, "nemesis", "ok", "start-latency-client-leader", { ...lat, window: "f2" }],
        [3, "nemesis", "invoke", "stop-latency-client-leader", { window: "f2" }],
        [3.1, "nemesis", "ok", "stop-latency-client-leader", { window: "f2", healed: 2 }],
        [4, "nemesis", "invoke", "stop-latency-client-leader", { window: "f1" }],
        [4.1, "nemesis", "ok", "stop-latency-client-leader", { window: "f1", healed: 2 }],
      ),
    );
    expect(tl.faults.map((w) => [windowOf(w.detail), w.startMs, w.endMs])).toEqual([
      ["f1", 1000, 4100],
      ["f2", 2000, 3100],
    ]);
    expect(faultPhrase(tl, 1500)).toBe(
      "during latency-client-leader #1 (1258 ms latency ± 352 ms on s1->n1, s1->n2)",
    );
  });
});

const windowOf = (d: unknown): unknown => (d as { window?: unknown }).window;

describe("nodePhrase", () => {
  it("should say when the node stopped being leader, whom the managers named, and when it was demoted", () => {
    const tl = buildClusterTimeline(partitionStory());
    expect(nodePhrase(tl, "n1", 3210)).toBe(
      "n1 stopped being leader at 5.000 s (the failover managers named n3) and was demoted at 9.800 s",
    );
  });

  it("should say a node had already been replaced when it acknowledged after the failover", () => {
    const tl = buildClusterTimeline(partitionStory());
    expect(nodePhrase(tl, "n1", 6000)).toBe(
      "n1 was no longer the leader: the failover managers had named n3 at 5.000 s; it was demoted at 9.800 s",
    );
  });
});

describe("nodePhrase, in the order things happened", () => {
  it("should tell a leader that stopped accepting writes before the managers stopped naming it in that order", () => {
    const tl = buildClusterTimeline(
      hist(
        [0.1, "monitor", "info", "leader", "n1"],
        [0.1, "monitor", "info", "writable-leaders", ["n1"]],
        [41.1, "monitor", "info", "writable-leaders", []],
        [61.1, "monitor", "info", "leader", "n2"],
        [61.2, "monitor", "info", "writable-leaders", ["n2"]],
      ),
    );
    expect(nodePhrase(tl, "n1", 30_000)).toBe(
      "n1 stopped accepting writes at 41.100 s, before the failover managers stopped naming it leader at 61.100 s (they named n2)",
    );
  });
});

describe("faultPhrase", () => {
  it("should name the fault in effect with its target, or the time since the last one ended", () => {
    const tl = buildClusterTimeline(partitionStory());
    expect(faultPhrase(tl, 3210)).toBe("during partition-leader #1 (n1, c1 cut off from n2, n3, c2)");
    expect(faultPhrase(tl, 3210, { short: true })).toBe("during partition-leader #1");
    expect(faultPhrase(tl, 9000)).toBe("0.800 s after partition-leader #1 ended");
    expect(faultPhrase(tl, 500)).toBe("while no fault was active");
  });
});

describe("anomalyStories", () => {
  it("should tell a lost add with the fault, the failover and the demotion around it", () => {
    const h = partitionStory();
    const verdict = runCheckers(prepareCheckers([{ name: "set" }]), h);
    const stories = anomalyStories(h, typedResults(verdict.results), buildClusterTimeline(h));
    expect(stories).toEqual([
      {
        checker: "set",
        kind: "lost",
        summary:
          "1 acknowledged add lost, acknowledged by n1 at 3.210 s during partition-leader #1 (n1, c1 cut off from " +
          "n2, n3, c2); n1 stopped being leader at 5.000 s (the failover managers named n3) and was demoted at " +
          "9.800 s. It is not in the final read (op 16 at 10.000 s, served by n3).",
        details: [
          "add 7 was acknowledged by n1 at 3.210 s during partition-leader #1; n1 stopped being leader at 5.000 s " +
            "(the failover managers named n3) and was demoted at 9.800 s; 7 is absent from the final read.",
        ],
        more: 0,
        fromMs: 3210,
        toMs: 3210,
        ops: [6],
      },
    ]);
  });

  it("should group many lost writes by node and fault and list at most 25 examples", () => {
    const rows: Row[] = [
      [0, "monitor", "info", "leader", "n1"],
      [1, "nemesis", "invoke", "start-partition-leader", null],
      [1, "nemesis", "ok", "start-partition-leader", { leader: "n1" }],
    ];
    for (let i = 0; i < 40; i++) {
      rows.push(
        [2 + i * 0.01, 0, "invoke", "add", i],
        [2 + i * 0.01 + 0.001, 0, "ok", "add", i, { node: "n1" }],
      );
    }
    rows.push([5, 0, "invoke", "read", null], [5.1, 0, "ok", "read", [], { node: "n2" }]);
    const h = hist(...rows);
    const [story] = anomalyStories(
      h,
      typedResults(runCheckers(prepareCheckers([{ name: "set" }]), h).results),
      buildClusterTimeline(h),
    );
    expect(story!.summary).toMatch(
      /^40 acknowledged adds lost, acknowledged by n1 between 2\.001 s and 2\.391 s during partition-leader #1/,
    );
    expect(story!.summary).toMatch(/None of them is in the final read/);
    expect(story!.details).toHaveLength(25);
    expect(story!.more).toBe(15);
  });

  it("should place any other anomaly among the faults and leader reports around its ops", () => {
    const h = partitionStory();
    const results = typedResults({
      x: {
        valid: false,
        anomalies: [{ kind: "weird", explanation: "first line\nsecond line", ops: [6, 10] }],
      },
    });
    const [story] = anomalyStories(h, results, buildClusterTimeline(h));
    expect(story).toEqual({
      checker: "x",
      kind: "weird",
      summary: "first line",
      details: [
        "second line",
        "The ops involved ran between 3.200 s and 6.000 s, during partition-leader #1 (n1, c1 cut off from n2, n3, c2); " +
          "leader reports around them: n3 at 5.000 s.",
      ],
      more: 0,
      fromMs: 3200,
      toMs: 6000,
      ops: [6, 10],
    });
  });
});

describe("anomalyStories for set-full", () => {
  /**
   * A write never acknowledged but read, then gone: add 5's wait for replication is cut short on n1 (the client
   * records the store's words, `info`), a read on n1 sees 5, n1 is killed, n2 leads, and the final read (n2) lacks 5.
   * Add 6 is acknowledged by n1 and lost the same way.
   */
  function unacknowledgedLoss(): Op[] {
    const cut =
      "canceling the wait for replication (committed locally); committed on the leader, may not be replicated";
    return hist(
      [0.1, "monitor", "info", "leader", "n1"],
      [1.0, 0, "invoke", "add", 5],
      [2.0, 0, "info", "add", 5, { node: "n1", error: cut }],
      [2.1, 1, "invoke", "add", 6],
      [2.2, 1, "ok", "add", 6, { node: "n1" }],
      [2.5, 2, "invoke", "read", null],
      [2.6, 2, "ok", "read", [5, 6], { node: "n1" }],
      [3.0, "nemesis", "invoke", "start-kill-leader", null],
      [3.0, "nemesis", "ok", "start-kill-leader", { node: "n1", nodes: ["n1"], pids: [1] }],
      [6.0, "monitor", "info", "leader", "n2"],
      [9.0, 2, "invoke", "read", null],
      [9.1, 2, "ok", "read", [], { node: "n2" }],
    );
  }

  it("should say which lost elements no write acknowledged but a read saw, why that happens, and the clients' words", () => {
    const h = unacknowledgedLoss();
    const verdict = runCheckers(prepareCheckers([{ name: "set-full" }]), h);
    expect(verdict.valid).toBe(false);
    const [story] = anomalyStories(h, typedResults(verdict.results), buildClusterTimeline(h));
    expect(story!.checker).toBe("set-full");
    expect(story!.summary).toContain(
      "1 of them was never acknowledged: its write ended unknown, yet a read saw it. A write whose wait for " +
        "replication was cut short is durable on the old leader and visible there, but not replicated; the " +
        "failover dropped it. Not an acknowledged write lost, but a read that saw data the cluster later lost. " +
        'The clients recorded: "canceling the wait for replication (committed locally); committed on the leader, ' +
        'may not be replicated" (1).',
    );
    expect(story!.details).toEqual([
      expect.not.stringContaining("never acknowledged"),
      expect.stringMatching(
        /^5 became known through n1 at 2\.600 s .*; never acknowledged: canceling the wait for replication/,
      ),
    ]);
  });

  it("should say none was acknowledged when that holds for every lost element", () => {
    const h = unacknowledgedLoss()
      .filter((o) => o.value !== 6)
      .map((o, index) => ({ ...o, index, ...(o.f === "read" && o.node === "n1" ? { value: [5] } : {}) }));
    const verdict = runCheckers(prepareCheckers([{ name: "set-full" }]), h);
    const [story] = anomalyStories(h, typedResults(verdict.results), buildClusterTimeline(h));
    expect(story!.summary).toContain(
      " It was never acknowledged: its write ended unknown, yet a read saw it.",
    );
  });

  it("should not call an element unacknowledged when some write of it was acknowledged", () => {
    const h = unacknowledgedLoss().map((o) =>
      o.value === 5 && o.type === "info" ? { ...o, type: "ok" as const, error: undefined } : o,
    );
    const verdict = runCheckers(prepareCheckers([{ name: "set-full" }]), h);
    const [story] = anomalyStories(h, typedResults(verdict.results), buildClusterTimeline(h));
    expect(story!.summary).not.toContain("never acknowledged");
  });
});

describe("buildOpTable", () => {
  it("should pair client ops into columns, fold retired processes onto their worker's row, and intern strings", () => {
    const t = buildOpTable(partitionStory(), { concurrency: 2 });
    expect(t.inv).toEqual([1000, 3200, 6000, 10000]);
    expect(t.lat).toEqual([10, 10, 500, 10]);
    expect(t.proc).toEqual([0, 1, 2, 0]);
    expect(t.row).toEqual([0, 1, 0, 0]);
    expect(t.type).toEqual([0, 0, 2, 0]);
    expect(t.fs).toEqual(["add", "read"]);
    expect(t.f).toEqual([0, 0, 0, 1]);
    expect(t.nodes).toEqual(["n1", "n3"]);
    expect(t.node).toEqual([0, 0, -1, 1]);
    expect(t.val).toEqual(["1", "7", "8", "[1]"]);
    expect(t.errors).toEqual(["timeout"]);
    expect(t.err).toEqual([-1, -1, 0, -1]);
    expect(t.idx).toEqual([2, 6, 10, 16]);
    expect(t.rows).toEqual(["worker 0", "worker 1"]);
  });

  it("should give a row per process when the concurrency is unknown, and -1 latency to an op that never completed", () => {
    const t = buildOpTable(
      hist([0, 3, "invoke", "add", 1], [0.5, 9, "invoke", "add", 2], [0.6, 9, "ok", "add", 2]),
    );
    expect(t.rows).toEqual(["process 3", "process 9"]);
    expect(t.row).toEqual([0, 1]);
    expect(t.lat).toEqual([-1, 100]);
    expect(t.type).toEqual([2, 0]);
  });
});

describe("throughput", () => {
  it("should count completions per bucket as ops/s, per f and outcome", () => {
    const t = buildOpTable(partitionStory(), { concurrency: 2 });
    const tp = throughput(t, 10_010, 10);
    expect(tp.bucketMs).toBe(1100);
    expect(tp.t.slice(0, 3)).toEqual([0, 1100, 2200]);
    const addOk = tp.series.find((s) => s.f === "add" && s.type === "ok")!;
    expect(addOk.rate[0]).toBeCloseTo(1000 / 1100);
    expect(addOk.rate[2]).toBeCloseTo(1000 / 1100);
    expect(addOk.rate.reduce((a, b) => a + b, 0)).toBeCloseTo(2000 / 1100);
    expect(tp.series.map((s) => `${s.f}:${s.type}`)).toEqual(["add:ok", "add:info", "read:ok"]);
  });
});

describe("replicationLag", () => {
  it("should plot the monitor's lagBytes per follower, null where a follower was not sampled", () => {
    const h = hist(
      [
        1,
        "monitor",
        "info",
        "replication-offsets",
        {
          leader: "n1",
          offset: 100,
          followers: {
            n2: { of: "n1", offset: 90, lagBytes: 10, link: "up" },
            n3: { of: "n1", offset: 100, lagBytes: 0, link: "up" },
          },
        },
      ],
      [
        2,
        "monitor",
        "info",
        "replication-offsets",
        {
          leader: "n1",
          offset: 300,
          followers: { n2: { of: "n1", offset: 100, lagBytes: 200, link: "down" } },
        },
      ],
    );
    expect(replicationLag(h)).toEqual({
      t: [1000, 2000],
      series: [
        { node: "n2", bytes: [10, 200] },
        { node: "n3", bytes: [0, null] },
      ],
      seconds: [],
    });
  });

  it("should read plain offset maps and lists, taking the leader's offset from the sample", () => {
    expect(readLagSample({ n1: 50, n2: 40 })).toEqual({
      leader: "n1",
      leaderOffset: 50,
      followers: new Map([["n2", { offset: 40, lag: undefined }]]),
    });
    const s = readLagSample([
      { node: "n2", offset: 10, role: "leader" },
      { node: "n1", offset: 4, lag: 1 },
    ]);
    expect(s?.leader).toBe("n2");
    expect(s?.leaderOffset).toBe(10);
    expect(s?.followers.get("n1")).toEqual({ offset: 4, lag: 1 });
    expect(readLagSample("nope")).toBeUndefined();
  });

  it("should return undefined when the history has no samples", () => {
    expect(replicationLag(partitionStory())).toBeUndefined();
  });
});

describe("linearizableViews", () => {
  it("should show the longest linearizable prefix and the op that breaks it for the failing key", () => {
    // write 1 ok, then a read of 2 that no order allows.
    const h = hist(
      [0, 0, "invoke", "write", 1, { key: "k" }],
      [0.01, 0, "ok", "write", 1, { key: "k" }],
      [0.02, 1, "invoke", "read", null, { key: "k" }],
      [0.03, 1, "ok", "read", 2, { key: "k" }],
    );
    const verdict = runCheckers(
      prepareCheckers([{ name: "linearizable", options: { model: "register" } }]),
      h,
    );
    const [view] = linearizableViews(typedResults(verdict.results), buildClusterTimeline(h));
    expect(view!.valid).toBe(false);
    expect(view!.keys).toEqual([{ key: "k", valid: false, ops: 2 }]);
    const c = view!.counterexample!;
    expect(c.key).toBe("k");
    expect(c.prefixLength).toBe(1);
    expect(c.prefixTail.map((s) => s.op.description)).toEqual([expect.stringContaining("1")]);
    expect(c.op).toMatchObject({ index: 2, process: 1, type: "ok", invokeMs: 20, completeMs: 30 });
    expect(c.context).toBe("while no fault was active");
  });
});

describe("cycleViews", () => {
  it("should give each list-append cycle's transactions, edges and the faults around it", () => {
    // G1c: T1 appends x=1 and reads y=[1]; T2 appends y=1 and reads x=[1] — each saw the other's write.
    const h = new TxnHistory()
      .invoke(0, [
        ["append", "x", 1],
        ["r", "y", [1]],
      ])
      .invoke(1, [
        ["append", "y", 1],
        ["r", "x", [1]],
      ])
      .ok(0)
      .ok(1).ops;
    const verdict = runCheckers(prepareCheckers([{ name: "list-append" }]), h);
    const views = cycleViews(h, typedResults(verdict.results), buildClusterTimeline(h));
    expect(views.length).toBeGreaterThan(0);
    const v = views[0]!;
    expect(v.kind).toMatch(/^G1c/);
    expect(v.txns.map((t) => t.name)).toEqual(["T1", "T2"]);
    expect(v.steps.map((s) => `${s.from}-${s.type}->${s.to}`).sort()).toEqual(["T1-wr->T2", "T2-wr->T1"]);
    expect(v.context).toContain("while no fault was active");
    expect(v.rulesOut).toContain("read-committed");
  });
});

describe("buildReportData", () => {
  it("should mark a client op whose completion a story names by its invoke", () => {
    const h = partitionStory();
    const d = buildReportData({
      history: h,
      results: { x: { valid: false, anomalies: [{ kind: "k", explanation: "e", ops: [7, 17, 4] }] } },
      valid: false,
      title: "t",
      runDir: "/r",
      seed: 1,
    });
    // 7 completes the add invoked at 6, 17 the read invoked at 16; 4 is a nemesis op, not drawn as a client op.
    expect(d.marked).toEqual([6, 16]);
    expect(d.checkers[0]!.summary).toBe("1 anomaly");
  });

  it("should gather verdicts, settings, stories and series for a run", () => {
    const h = partitionStory();
    const verdict = runCheckers(prepareCheckers([{ name: "set" }, { name: "stats" }]), h);
    const d = buildReportData({
      history: h,
      results: verdict.results,
      valid: verdict.valid,
      title: "set-partition-leader",
      runDir: "/r",
      seed: 9,
      config: {
        workload: "set",
        nemesis: "partition-leader",
        timeLimit: 20000,
        concurrency: 2,
        testName: "t1",
        store: { followers: 2 },
      },
    });
    expect(d.valid).toBe(false);
    expect(d.checkers.map((c) => [c.name, c.valid, c.anomalyKinds])).toEqual([
      ["set", false, [{ kind: "lost", count: 1 }]],
      ["stats", true, []],
    ]);
    expect(d.settings).toEqual([
      { name: "workload", value: "set" },
      { name: "nemesis", value: "partition-leader" },
      { name: "time limit", value: "20 s" },
      { name: "concurrency", value: "2" },
      { name: "followers", value: "2" },
    ]);
    expect(d.testName).toBe("t1");
    expect(d.stories).toHaveLength(1);
    expect(d.ops.rows).toEqual(["worker 0", "worker 1"]);
    expect(d.lost).toEqual([{ element: 7, ackedMs: 3210, node: "n1" }]);
    expect(d.counts).toEqual({ add: { ok: 2, fail: 0, info: 1 }, read: { ok: 1, fail: 0, info: 0 } });
    expect(d.marked).toEqual([6]);
    expect(d.startMs).toBe(100);
    expect(d.lag).toBeUndefined();
  });
});

describe("preview", () => {
  it("should stop stringifying past its budget", () => {
    expect(preview([1, 2, 3])).toBe("[1,2,3]");
    expect(preview({ a: "x" })).toBe('{"a":"x"}');
    const big = Array.from({ length: 1_000_000 }, (_, i) => i);
    const p = preview(big, 20);
    expect(p).toHaveLength(20);
    expect(p.endsWith("…")).toBe(true);
    expect(preview("y".repeat(500), 10)).toBe('"yyyyyyyy…');
  });
});

describe("packOps", () => {
  it("should give back the op table (times to the microsecond) with or without a concurrency", () => {
    for (const concurrency of [2, undefined]) {
      const t = buildOpTable(partitionStory(), concurrency === undefined ? {} : { concurrency });
      const json = JSON.parse(JSON.stringify(packOps(t, concurrency))) as Parameters<typeof unpackOps>[0];
      expect(unpackOps(json)).toEqual(t);
    }
  });

  it("should run-length encode a column only when that is shorter, and always decode it", () => {
    expect(packColumn([0, 0, 0, 0, 1])).toEqual({ runs: [0, 4, 1, 1] });
    expect(packColumn([0, 1, 2])).toEqual([0, 1, 2]);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1, max: 3 })), (xs) => {
        expect(unpackColumn(packColumn(xs))).toEqual(xs);
      }),
    );
  });
});
