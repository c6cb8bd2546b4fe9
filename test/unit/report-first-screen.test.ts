import { describe, expect, it } from "vitest";
import type { Op } from "../../checkers/history/index.js";
import { prepareCheckers, runCheckers } from "../../checkers/registry/index.js";
import { buildClusterTimeline, buildReportData, renderReportHtml } from "../../harness/report/index.js";
import { clusterRoles, roleOf } from "../../harness/report/cluster-roles.js";
import { faultSummary } from "../../harness/report/fault-summary.js";
import { describeFault, ranges } from "../../harness/report/fault-words.js";

const ms = 1e6;
const CONFIG = {
  testName: "t",
  run: {
    cluster: {
      nodes: [
        { name: "n1", role: "data" },
        { name: "n2", role: "data" },
        { name: "n3", role: "data" },
        { name: "s1", role: "failover-manager" },
        { name: "s2", role: "failover-manager" },
        { name: "s3", role: "failover-manager" },
      ],
      clients: ["c1", "c2", "c3", "c4", "c5"],
    },
  },
};

/** Ops at the given ms (indices in order). */
function ops(list: [number, Omit<Op, "index" | "time">][]): Op[] {
  return list.map(([t, o], index) => ({ index, time: t * ms, ...o }) as Op);
}

const nemesis = (f: string, type: "invoke" | "ok" | "fail", value: unknown, error?: string) =>
  ({ process: "nemesis", type, f, value, ...(error ? { error } : {}) }) as Omit<Op, "index" | "time">;

/** A leader partitioned and one add lost, a follower killed, a latency fault and a start that was not applied. */
function history(): Op[] {
  return ops([
    [0, { process: "monitor", type: "info", f: "leader", value: "n1" }],
    [1, { process: "monitor", type: "info", f: "writable-leaders", value: ["n1"] }],
    [10, { process: 0, type: "invoke", f: "add", value: 1 }],
    [11, { process: 0, type: "ok", f: "add", value: 1, node: "n1" }],
    [1000, nemesis("start-partition-leader", "invoke", { window: "f1" })],
    [
      1010,
      nemesis("start-partition-leader", "ok", {
        window: "f1",
        kind: "partition-leader",
        leader: "n1",
        withLeader: ["n1", "c1", "c2"],
        others: ["n2", "n3", "s1", "s2", "s3", "c3", "c4", "c5"],
        cut: "blackhole",
        links: ["n1->n2", "n2->n1"],
      }),
    ],
    [1100, { process: 1, type: "invoke", f: "add", value: 2 }],
    [1110, { process: 1, type: "ok", f: "add", value: 2, node: "n1" }],
    [2000, { process: "monitor", type: "info", f: "leader", value: "n2" }],
    [2001, { process: "monitor", type: "info", f: "writable-leaders", value: ["n1", "n2"] }],
    [5200, nemesis("stop-partition-leader", "invoke", { window: "f1" })],
    [5200, nemesis("stop-partition-leader", "ok", { window: "f1", healed: 2 })],
    [5300, { process: "monitor", type: "info", f: "writable-leaders", value: ["n2"] }],
    [6000, nemesis("start-kill-random-follower", "invoke", { window: "f2" })],
    [
      6000,
      nemesis("start-kill-random-follower", "ok", {
        window: "f2",
        node: "n3",
        pid: 9,
        nodes: ["n3"],
        pids: [9],
        signal: "SIGKILL",
      }),
    ],
    [9000, nemesis("stop-kill-random-follower", "invoke", { window: "f2" })],
    [9000, nemesis("stop-kill-random-follower", "ok", { window: "f2", restarted: true })],
    [9100, nemesis("start-latency-replication", "invoke", { window: "f3" })],
    [
      9100,
      nemesis("start-latency-replication", "ok", {
        window: "f3",
        links: ["n1->n2", "n3->n2"],
        streams: ["downstream"],
        toxic: "latency",
        attributes: { latency: 100, jitter: 10 },
      }),
    ],
    [9500, nemesis("start-pause-leader", "invoke", { window: "f4" })],
    [9500, nemesis("start-pause-leader", "fail", { window: "f4" }, "no leader to pause now")],
    [9900, nemesis("final-heal", "invoke", null)],
    [9900, nemesis("final-heal", "ok", {})],
    [10000, { process: 0, type: "invoke", f: "read", value: null }],
    [10010, { process: 0, type: "ok", f: "read", value: [1], node: "n2" }],
  ]);
}

function report(faults?: unknown): { html: string; data: ReturnType<typeof buildReportData> } {
  const h = history();
  const verdict = runCheckers(prepareCheckers([{ name: "set" }]), h);
  const data = buildReportData({
    history: h,
    results: verdict.results,
    valid: verdict.valid,
    title: "t",
    runDir: "/r",
    seed: 1,
    config: CONFIG,
    ...(faults === undefined ? {} : { faults }),
  });
  return { html: renderReportHtml(data), data };
}

describe("describeFault", () => {
  it("should tell each fault in words with its targets' roles and how long it lasted", () => {
    const { data } = report();
    expect(data.faultLines.map((f) => [f.label, f.text])).toEqual([
      [
        "partition-leader #1",
        "partitioned n1 (the leader) with clients c1, c2 from n2, n3 with failover managers s1–s3 and clients c3–c5 for 4.2 s (2 links cut, packets dropped)",
      ],
      ["kill-random-follower", "killed n3 (a follower), restarted after 3.0 s"],
      ["latency-replication", "delayed 2 links (n1→n2, n3→n2) by 100 ms ± 10 ms for 0.8 s"],
    ]);
    expect(data.notApplied).toEqual([
      { atMs: 9500, fault: "pause-leader", reason: "no leader to pause now" },
    ]);
  });

  it("should name a fault it does not know by its name and target, never as JSON", () => {
    const h = ops([
      [0, nemesis("start-flood-n2", "invoke", null)],
      [5, nemesis("start-flood-n2", "ok", { node: "n2", weird: { a: [1, 2] } })],
    ]);
    const tl = buildClusterTimeline(h);
    const text = describeFault(tl.faults[0]!, { tl, roleOf: roleOf(clusterRoles(CONFIG, tl)) });
    expect(text).toBe("flood-n2 on n2 until the end of the run");
  });

  it("should read roles as any store records them, consensus members included", () => {
    const h = ops([
      [0, { process: "monitor", type: "info", f: "leader", value: "n2" }],
      [1, nemesis("start-isolate-node", "invoke", { window: "f1" })],
      [
        2,
        nemesis("start-isolate-node", "ok", {
          window: "f1",
          kind: "partition-halves",
          components: [
            ["n1", "e1", "c1"],
            ["n2", "n3", "e2", "e3", "c2"],
          ],
        }),
      ],
    ]);
    const tl = buildClusterTimeline(h);
    const roles = clusterRoles(
      {
        run: {
          cluster: {
            nodes: [
              { name: "n1", role: "data (PostgreSQL + Patroni)" },
              { name: "n2", role: "data (PostgreSQL + Patroni)" },
              { name: "n3", role: "data (PostgreSQL + Patroni)" },
              { name: "e1", role: "consensus (etcd)" },
              { name: "e2", role: "consensus (etcd)" },
              { name: "e3", role: "consensus (etcd)" },
            ],
            clients: { c1: { n1: 1 }, c2: { n1: 2 } },
          },
        },
      },
      tl,
    );
    expect(roles).toEqual({
      nodes: ["n1", "n2", "n3"],
      managers: [],
      consensus: ["e1", "e2", "e3"],
      routers: [],
      clients: ["c1", "c2"],
    });
    expect(describeFault(tl.faults[0]!, { tl, roleOf: roleOf(roles) })).toBe(
      "split the cluster into n1 with consensus member e1 and client c1 | n2 (the leader), n3 with consensus members e2, e3 and client c2 until the end of the run",
    );
  });

  it("should shorten runs of three or more consecutive names", () => {
    expect(ranges(["s1", "s2", "s3", "c1", "c2", "n5", "x"])).toBe("s1–s3, c1, c2, n5, x");
  });
});

describe("renderReportHtml's first screen", () => {
  it("should put the verdict, its headline and the cluster picture before every list and table", () => {
    const { html } = report();
    const at = (s: string): number => {
      const i = html.indexOf(s);
      expect(i, s).toBeGreaterThan(0);
      return i;
    };
    expect(at('id="verdict"')).toBeLessThan(at('id="cluster-picture"'));
    expect(at('id="cluster-picture"')).toBeLessThan(at('id="faults"'));
    expect(at('id="faults"')).toBeLessThan(at("<h2>Verdicts</h2>"));
    expect(at("<h2>Verdicts</h2>")).toBeLessThan(at('id="anomalies"'));
    // The headline: writes lost, faults (and the start not applied), the leaders in turn, split brain.
    const headline = html.slice(at('id="verdict"'), at('id="cluster-picture"'));
    expect(headline).toContain("<b>1</b> acknowledged write lost");
    expect(headline).toContain("<b>3</b> faults (1 more not applied)");
    expect(headline).toContain("<b>n1 → n2</b> leader (1 change)");
    expect(headline).toContain("<b>3.3 s</b> of split brain");
    // A row per data node in the picture, and the lost-write row with its complete count.
    for (const row of [">n1<", ">n2<", ">n3<", ">writes lost (1)<"]) expect(html).toContain(row);
  });

  it("should describe faults in words, with no raw JSON in the faults table", () => {
    const { html } = report();
    const table = html.slice(
      html.indexOf('id="faults"'),
      html.indexOf("</table>", html.indexOf('id="faults"')),
    );
    expect(table).toContain("killed n3 (a follower), restarted after 3.0 s");
    expect(table).toContain("not applied: no leader to pause now");
    expect(table).not.toMatch(/[{}[\]]|&quot;/);
  });

  it("should fold the long lists behind their complete counts", () => {
    const { html } = report();
    expect(html).toMatch(/<details id="lost-writes"><summary>Lost writes \(1\)<\/summary>/);
    expect(html).toMatch(/<details id="leader-changes"><summary>[^<]*\(2\)<\/summary>/);
  });

  it("should tell the time writes were unavailable on the first screen and list the stretches in the details", () => {
    // During the partition, writes to n1 time out (unknown) and one is refused, from the last acknowledgement at
    // 1.110 s until n2 acknowledges one at 4.000 s.
    const h = history();
    const at = h.findIndex((o) => o.time === 2000 * ms);
    const outage = ops([
      [1200, { process: 2, type: "invoke", f: "add", value: 3 }],
      [2200, { process: 2, type: "info", f: "add", value: 3, node: "n1", error: "timed out" }],
      [2300, { process: 3, type: "invoke", f: "add", value: 4 }],
      [2310, { process: 3, type: "fail", f: "add", value: 4, node: "n2", error: "read-only" }],
      [3900, { process: 4, type: "invoke", f: "add", value: 5 }],
      [4000, { process: 4, type: "ok", f: "add", value: 5, node: "n2" }],
    ]);
    const merged = [...h.slice(0, at), ...outage, ...h.slice(at)]
      .sort((a, b) => a.time - b.time)
      .map((o, index) => ({ ...o, index }));
    const verdict = runCheckers(prepareCheckers([{ name: "set" }]), merged);
    const data = buildReportData({
      history: merged,
      results: verdict.results,
      valid: verdict.valid,
      title: "t",
      runDir: "/r",
      seed: 1,
      config: CONFIG,
    });
    expect(data.availability).toMatchObject({ attempted: 5, acknowledged: 3, failed: 1, unknown: 1 });
    const html = renderReportHtml(data);
    const headline = html.slice(html.indexOf('id="verdict"'), html.indexOf('id="cluster-picture"'));
    expect(headline).toContain(
      "<b>2.890 s</b> writes unavailable, the longest stretch with none acknowledged (2.890 s in 1 stretch; 2 " +
        "writes refused or unknown)",
    );
    expect(html).toContain(
      "<summary>Writes unavailable: longest 2.890 s, 2.890 s in all (1 stretch)</summary>",
    );
    expect(html).toContain(
      '<tr><td class="num">1.110 s</td><td class="num">4.000 s</td><td class="num">2.890 s</td><td class="num">1</td><td class="num">1</td></tr>',
    );
    // Every write acknowledged: no stretch, and the headline says so.
    expect(report().html).toContain("<b>0.000 s</b> writes unavailable (every write tried was acknowledged)");
    expect(report().html).not.toContain('id="write-availability"');
  });

  it("should show the nemesis's account when results.json has one, and nothing when it has none", () => {
    const withAccount = report({
      scheduled: 4,
      applied: 3,
      failed: 1,
      skipped: 0,
      failures: [{ fault: "pause-leader", time: 9500 * ms, error: "no leader to pause now" }],
    }).html;
    expect(withAccount).toContain("The nemesis's account: 4 scheduled, 3 applied, 1 failed, 0 skipped.");
    expect(withAccount).toContain("<li>pause-leader at 9.500 s: no leader to pause now</li>");
    expect(report().html).not.toContain("fault-account");
  });
});

describe("faultSummary", () => {
  it("should read the shape results.json records and refuse anything else", () => {
    expect(faultSummary({ scheduled: 1, applied: 1, failed: 0, skipped: 0, failures: [] })).toEqual({
      scheduled: 1,
      applied: 1,
      failed: 0,
      skipped: 0,
      failures: [],
    });
    expect(faultSummary(undefined)).toBeUndefined();
    expect(faultSummary({ scheduled: "1" })).toBeUndefined();
    expect(
      faultSummary({ scheduled: 2, applied: 1, failed: 1, skipped: 0, failures: ["f2: gone"] })?.failures,
    ).toEqual(["f2: gone"]);
  });
});
