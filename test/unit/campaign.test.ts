import { describe, expect, it } from "vitest";
import type { Op } from "../../checkers/history/index.js";
import { prepareCheckers, runCheckers } from "../../checkers/registry/index.js";
import {
  campaignAxes,
  campaignValidity,
  cellConfig,
  estimateRemainingMs,
  expandMatrix,
  formatDuration,
  parseCampaign,
  renderCampaignReport,
  runMetrics,
  startCampaignProgress,
  type CampaignCellResult,
  type CampaignResults,
} from "../../harness/campaign/index.js";
import { resolveRunConfig } from "../../harness/config/index.js";
import { InputError } from "../../core/errors/index.js";
import { setWorkload } from "../../workloads/index.js";

const FILE = `
name: replication-under-faults
run:
  timeLimit: 8s
  concurrency: 4
matrix:
  workload: [set, register]
  nemesis: [partition-leader, kill-leader]
  replication: [async, "wait:1:100"]
  seed: [1, 2]
`;

describe("parseCampaign", () => {
  it("should read a campaign file", () => {
    const c = parseCampaign(FILE, "c.yaml");
    expect(c.name).toBe("replication-under-faults");
    expect(c.run).toEqual({ timeLimit: "8s", concurrency: 4 });
    expect(c.matrix.replication).toEqual(["async", "wait:1:100"]);
  });

  it("should name the line of a syntax error and the field of a bad value", () => {
    expect(() => parseCampaign("name: [unclosed\n", "bad.yaml")).toThrow(/^bad\.yaml:\d+: not valid YAML/);
    const err = (() => {
      try {
        parseCampaign("name: 'has space'\nmatrix: { seed: [], colour: red }\n", "c.yaml");
      } catch (e) {
        return e as InputError;
      }
      throw new Error("no error");
    })();
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toMatch(/^c\.yaml: name: must be letters, digits/);
    expect(err.message).toContain("matrix.seed");
    expect(err.message).toContain("colour");
  });
});

describe("expandMatrix", () => {
  it("should give one cell per point, workload outermost and seed innermost, with directory-safe ids", () => {
    const cells = expandMatrix(parseCampaign(FILE, "c.yaml"), 7);
    expect(cells).toHaveLength(16);
    expect(cells.slice(0, 3).map((c) => c.id)).toEqual([
      "set-partition-leader-async-s1",
      "set-partition-leader-async-s2",
      "set-partition-leader-wait-1-100-s1",
    ]);
    expect(cells[2]!.label).toBe("set · partition-leader · wait:1:100 · seed 1");
    expect(cells.at(-1)!.id).toBe("register-kill-leader-wait-1-100-s2");
  });

  it("should draw a count of seeds from the campaign seed, the same every time", () => {
    const c = parseCampaign("name: c\nmatrix: { seed: 3 }\n", "c.yaml");
    const a = expandMatrix(c, 42).map((x) => x.seed);
    expect(a).toHaveLength(3);
    expect(new Set(a).size).toBe(3);
    expect(expandMatrix(c, 42).map((x) => x.seed)).toEqual(a);
    expect(expandMatrix(c, 43).map((x) => x.seed)).not.toEqual(a);
  });

  it("should take an axis left out from the shared run settings", () => {
    const c = parseCampaign(
      "name: c\nrun: { workload: counter, seed: 5 }\nmatrix: { nemesis: kill-leader }\n",
      "c.yaml",
    );
    expect(expandMatrix(c, 1).map((x) => [x.workload, x.nemesis, x.replication, x.seed])).toEqual([
      ["counter", "kill-leader", undefined, 5],
    ]);
  });
});

describe("cellConfig", () => {
  it("should resolve to a run configuration with the cell's axes, seed, test name and the campaign's store", () => {
    const c = parseCampaign(FILE, "c.yaml");
    const cell = expandMatrix(c, 1)[2]!;
    const config = resolveRunConfig({
      file: { path: "c.yaml", data: cellConfig(c, cell, "/x/runs") },
      freshSeed: () => 0,
    });
    expect(config).toMatchObject({
      workload: "set",
      nemesis: "partition-leader",
      replication: "wait:1:100",
      seed: 1,
      testName: "set-partition-leader-wait-1-100-s1",
      storeDir: "/x/runs",
      timeLimit: 8000,
      concurrency: 4,
    });
  });

  it("should let the config schema name a bad cell value", () => {
    const c = parseCampaign("name: c\nmatrix: { replication: [async, 'wait:9'] }\n", "c.yaml");
    const bad = expandMatrix(c, 1)[1]!;
    expect(() =>
      resolveRunConfig({
        file: { path: `c.yaml (run ${bad.id})`, data: cellConfig(c, bad, "runs") },
        freshSeed: () => 0,
      }),
    ).toThrow(/field "replication" in c\.yaml \(run default-default-wait-9-s\d+\): wait needs N and MS/);
  });
});

describe("runMetrics", () => {
  it("should count writes by outcome, their latency, and the lost writes the set checker found", () => {
    const ms = 1e6;
    const rows: Omit<Op, "index">[] = [
      { time: 0, process: 0, type: "invoke", f: "add", value: 1 },
      { time: 2 * ms, process: 0, type: "ok", f: "add", value: 1 },
      { time: 3 * ms, process: 1, type: "invoke", f: "add", value: 2 },
      { time: 13 * ms, process: 1, type: "ok", f: "add", value: 2 },
      { time: 14 * ms, process: 2, type: "invoke", f: "add", value: 3 },
      { time: 15 * ms, process: 2, type: "fail", f: "add", value: 3 },
      { time: 16 * ms, process: 3, type: "invoke", f: "add", value: 4 },
      { time: 17 * ms, process: 3, type: "info", f: "add", value: 4 },
      { time: 20 * ms, process: 0, type: "invoke", f: "read", value: null },
      { time: 21 * ms, process: 0, type: "ok", f: "read", value: [2] },
    ];
    const h = rows.map((r, index) => ({ index, ...r }) as Op);
    const results = runCheckers(prepareCheckers([{ name: "set" }]), h).results;
    const w = setWorkload();
    expect(runMetrics(h, results, (op) => w.isWrite(op))).toEqual({
      ops: 5,
      writes: { ok: 2, fail: 1, info: 1 },
      writeLatencyMs: { p50: 2, p99: 10, max: 10 },
      lost: 1,
      anomalyKinds: ["lost"],
      durationMs: 21,
      failoverMs: [],
      lossWindowMs: 0,
    });
  });

  it("should time each failover from the fault's start to a different leader being named", () => {
    const ms = 1e6;
    const rows: Omit<Op, "index">[] = [
      { time: 1 * ms, process: "monitor", type: "info", f: "leader", value: "n1" },
      { time: 5 * ms, process: "nemesis", type: "invoke", f: "start-partition-leader", value: null },
      { time: 6 * ms, process: "nemesis", type: "ok", f: "start-partition-leader", value: {} },
      { time: 7 * ms, process: "monitor", type: "info", f: "leader", value: null },
      { time: 9 * ms, process: "monitor", type: "info", f: "leader", value: "n2" },
      { time: 20 * ms, process: "nemesis", type: "ok", f: "start-kill-leader", value: {} },
      { time: 30 * ms, process: "monitor", type: "info", f: "leader", value: "n2" },
      { time: 45 * ms, process: "monitor", type: "info", f: "leader", value: "n3" },
    ];
    const h = rows.map((r, index) => ({ index, ...r }) as Op);
    const m = runMetrics(h, {});
    expect(m.failoverMs).toEqual([3, 25]);
    expect(m.lossWindowMs).toBeNull();
  });
});

describe("estimateRemainingMs", () => {
  it("should charge each remaining run its time limit plus the overhead the finished ones showed", () => {
    expect(estimateRemainingMs([], [8000])).toBe(8000 + 12_000);
    expect(
      estimateRemainingMs(
        [
          { elapsedMs: 20_000, timeLimitMs: 8000 },
          { elapsedMs: 16_000, timeLimitMs: 8000 },
        ],
        [8000, 8000],
        5000,
      ),
    ).toBe(2 * (8000 + 10_000) - 5000);
    expect(formatDuration(3_725_000)).toBe("1h 02m");
    expect(formatDuration(245_000)).toBe("4m 05s");
    expect(formatDuration(12_400)).toBe("12s");
  });
});

describe("startCampaignProgress", () => {
  it("should write a line when each run starts and ends when the sink is not a terminal", () => {
    const out: string[] = [];
    const p = startCampaignProgress({
      sink: { write: (t: string) => out.push(t), isTTY: false },
      timeLimitsMs: [8000, 8000],
    });
    p.started(0, "set · none · async · seed 1");
    p.finished(0, "set · none · async · seed 1", "valid", 18_000);
    p.started(1, "set · kill-leader · async · seed 1");
    expect(out).toEqual([
      "campaign: [1/2] set · none · async · seed 1 … (ETA 40s)\n",
      "campaign: [1/2] set · none · async · seed 1: valid in 18s\n",
      "campaign: [2/2] set · kill-leader · async · seed 1 … (ETA 18s)\n",
    ]);
  });
});

function cell(over: Partial<CampaignCellResult>): CampaignCellResult {
  return {
    label: "set · partition-leader · async · seed 1",
    id: "set-partition-leader-async-s1",
    workload: "set",
    nemesis: "partition-leader",
    replication: "async",
    seed: 1,
    status: "done",
    valid: true,
    exitCode: 0,
    runDir: "runs/set-partition-leader-async-s1/20261126T000000.000Z",
    report: "runs/set-partition-leader-async-s1/20261126T000000.000Z/report.html",
    metrics: {
      ops: 10,
      writes: { ok: 8, fail: 1, info: 1 },
      writeLatencyMs: { p50: 1.5, p99: 9, max: 9 },
      lost: 0,
      anomalyKinds: [],
      durationMs: 8000,
    },
    timeLimitMs: 8000,
    elapsedMs: 19_000,
    ...over,
  };
}

describe("campaignValidity", () => {
  it("should take the worst verdict, counting a run without one as unknown", () => {
    expect(campaignValidity([cell({})])).toBe(true);
    expect(campaignValidity([cell({}), cell({ status: "error", valid: null })])).toBe("unknown");
    expect(campaignValidity([cell({ valid: "unknown" }), cell({ valid: false })])).toBe(false);
  });
});

describe("renderCampaignReport", () => {
  it("should show every cell with its verdict and a link to its report, and escape names", () => {
    const cells = [
      cell({}),
      cell({ id: "b", replication: "wait:1:100", valid: false, metrics: { ...cell({}).metrics!, lost: 12 } }),
      cell({
        id: "c",
        nemesis: "kill-leader",
        status: "error",
        valid: null,
        report: null,
        runDir: null,
        metrics: null,
        error: "<cluster> did not start",
      }),
    ];
    const r: CampaignResults = {
      schemaVersion: 1,
      kind: "campaign",
      name: "<c>",
      file: "c.yaml",
      dir: "/s/campaigns/c/1",
      startedAt: "2026-11-26T00:00:00.000Z",
      finishedAt: "2026-11-26T00:01:00.000Z",
      seed: 3,
      valid: false,
      exitCode: 1,
      interrupted: false,
      axes: {
        workload: ["set"],
        nemesis: ["partition-leader", "kill-leader"],
        replication: ["async", "wait:1:100"],
        seed: [1],
      },
      cells,
    };
    const html = renderCampaignReport(r);
    expect(html).toContain("Campaign &lt;c&gt;");
    expect(html).toContain("3 runs: 1 valid, 1 invalid, 0 unknown, 1 without a verdict");
    expect(html.match(/data-cell=/g)).toHaveLength(3);
    expect(html).toContain(
      '<a href="runs/set-partition-leader-async-s1/20261126T000000.000Z/report.html"><span class="verdict v-true">valid</span></a>',
    );
    expect(html).toContain("lost 12 · info 1 · fail 1 · ok 8");
    expect(html).toContain("&lt;cluster&gt; did not start");
    expect(html).toContain("<th>replication wait:1:100</th>");
    expect(html).toContain('id="chart-lost"');
  });

  it("should scale past 60 runs to a heatmap of invalid rates and one row per configuration with distributions", () => {
    const base = cell({}).metrics!;
    const cells = Array.from({ length: 80 }, (_, i) =>
      cell({
        id: `r${i}`,
        seed: i + 1,
        nemesis: i % 2 === 0 ? "partition-leader" : "kill-leader",
        valid: i % 2 === 0 && i % 4 === 0 ? false : true,
        metrics: {
          ...base,
          lost: i % 2 === 0 ? i : 0,
          failoverMs: [1000 + i],
          lossWindowMs: i % 2 === 0 ? 10 * i : null,
        },
      }),
    );
    const r = {
      schemaVersion: 1,
      kind: "campaign",
      name: "big",
      file: "c.yaml",
      dir: "/s",
      startedAt: "2026-11-26T00:00:00.000Z",
      finishedAt: null,
      seed: 3,
      valid: false,
      exitCode: 1,
      interrupted: false,
      axes: { workload: ["set"], nemesis: [], replication: ["async"], seed: [] },
      cells,
    } as CampaignResults;
    const html = renderCampaignReport(r);
    // No per-run matrix or charts: a heatmap cell and a table row per configuration.
    expect(html).not.toContain("data-cell=");
    expect(html).not.toContain('id="chart-lost"');
    expect(html.match(/data-config=/g)).toHaveLength(2);
    // partition-leader: 40 runs, 20 invalid (i % 4 === 0); lost 0, 2, …, 78 → median 38, max 78.
    expect(html).toContain('>20/40</a> <span class="note">50 % invalid');
    expect(html).toMatch(
      /<tr id="cfg-1"><td>set · partition-leader · async<\/td><td class="num">40<\/td><td class="num">20<\/td><td class="num">20<\/td>/,
    );
    expect(html).toContain("38 · 78");
    expect(html).toContain("380 ms · 780 ms");
    expect(html).toContain("<summary>40 runs</summary>");
  });
});

const MIXED = `
name: mixed
run:
  timeLimit: 5s
  store: { followers: 1 }
stores:
  redis-sentinel: { downAfter: 2s, replication: [async, "min-replicas:1:1"] }
  simulated: { failoverTimeoutMs: 400ms }
matrix:
  store: [redis-sentinel, simulated]
  workload: set
  nemesis: [partition-leader, kill-leader]
  replication: [async]
  seed: [3]
`;

describe("a campaign's store axis", () => {
  it("should expand stores outermost, each with its own replication modes when it names them", () => {
    const cells = expandMatrix(parseCampaign(MIXED, "c.yaml"), 1);
    expect(cells.map((c) => c.id)).toEqual([
      "redis-sentinel-set-partition-leader-async-s3",
      "redis-sentinel-set-partition-leader-min-replicas-1-1-s3",
      "redis-sentinel-set-kill-leader-async-s3",
      "redis-sentinel-set-kill-leader-min-replicas-1-1-s3",
      "simulated-set-partition-leader-async-s3",
      "simulated-set-kill-leader-async-s3",
    ]);
    expect(cells[4]!.label).toBe("simulated · set · partition-leader · async · seed 3");
    expect(cells[4]!.store).toBe("simulated");
  });

  it("should resolve each cell with its store's settings: the shared ones, then the store's own", () => {
    const c = parseCampaign(MIXED, "c.yaml");
    const resolved = expandMatrix(c, 1).map((cell) =>
      resolveRunConfig({ file: { path: "c.yaml", data: cellConfig(c, cell, "runs") }, freshSeed: () => 0 }),
    );
    expect(resolved[1]!.store).toMatchObject({ kind: "redis-sentinel", followers: 1, downAfter: 2000 });
    expect(resolved[1]!.replication).toBe("min-replicas:1:1");
    expect(resolved[4]!.store).toEqual({
      kind: "simulated",
      followers: 1,
      failoverManagers: 3,
      replicationLagMs: 20,
      failoverTimeoutMs: 400,
    });
  });

  it("should apply a store's settings without a store axis to the store the runs use", () => {
    const c = parseCampaign(
      "name: c\nrun: { store: { kind: simulated } }\nstores: { simulated: { followers: 3 }, redis-sentinel: { quorum: 2 } }\n",
      "c.yaml",
    );
    const [cell] = expandMatrix(c, 1);
    expect(cell!.store).toBeUndefined();
    expect(cellConfig(c, cell!, "runs").store).toEqual({ kind: "simulated", followers: 3 });
  });

  it("should keep settings of run.store that name another store away from a store's cells", () => {
    const c = parseCampaign(
      "name: c\nrun: { store: { kind: redis-sentinel, quorum: 2 } }\nmatrix: { store: [redis-sentinel, simulated] }\n",
      "c.yaml",
    );
    const [redis, sim] = expandMatrix(c, 1);
    expect(cellConfig(c, redis!, "runs").store).toEqual({ kind: "redis-sentinel", quorum: 2 });
    expect(cellConfig(c, sim!, "runs").store).toEqual({ kind: "simulated" });
  });

  it("should name an unknown store and a bad store setting by their field, checked by that store's schema", () => {
    const message = (text: string): string => {
      try {
        parseCampaign(text, "c.yaml");
      } catch (e) {
        return (e as InputError).message;
      }
      throw new Error("no error");
    };
    expect(message("name: c\nmatrix: { store: [simulated, mongo] }\n")).toMatch(
      /^c\.yaml: matrix\.store\.1: unknown store "mongo": must be one of redis-sentinel, (postgres-patroni, )?simulated/,
    );
    expect(message("name: c\nstores: { simulated: { downAfter: 2s } }\n")).toBe(
      'c.yaml: stores.simulated: Unrecognized key: "downAfter"',
    );
    expect(message("name: c\nstores: { simulated: { followers: 99 } }\n")).toContain(
      "stores.simulated.followers:",
    );
    expect(message("name: c\nstores: { etcd: {} }\n")).toContain("stores.etcd: unknown store");
  });

  it("should give the comparison report a column per store and replication mode", () => {
    const c = parseCampaign(MIXED, "c.yaml");
    const cells = expandMatrix(c, 1).map((x, i) => cell({ ...x, valid: i % 2 === 0 }));
    const html = renderCampaignReport({
      schemaVersion: 1,
      kind: "campaign",
      name: "mixed",
      file: "c.yaml",
      dir: "/s",
      startedAt: "2026-11-26T00:00:00.000Z",
      finishedAt: null,
      seed: 1,
      valid: false,
      exitCode: 1,
      interrupted: false,
      axes: campaignAxes(c, 1),
      cells,
    });
    const heads = [
      ...html.matchAll(/<th><span class="store">([^<]+)<\/span><br>replication ([^<]+)<\/th>/g),
    ].map((m) => `${m[1]} ${m[2]}`);
    // The same columns in the heatmap of invalid rates and in the run-by-run matrix.
    const columns = ["redis-sentinel async", "redis-sentinel min-replicas:1:1", "simulated async"];
    expect(heads).toEqual([...columns, ...columns]);
    expect(html.match(/<tr><td>set<\/td>/g)).toHaveLength(4);
    expect(html).toContain('"simulated · set · kill-leader · async · s3"');
  });
});
