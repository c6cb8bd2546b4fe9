import { describe, expect, it } from "vitest";
import type { Op } from "../../checkers/history/index.js";
import { runCheckers, prepareCheckers } from "../../checkers/registry/index.js";
import { buildReportData, escapeHtml, renderReportHtml } from "../../harness/report/index.js";

const ms = 1e6;
/** A small history: two acknowledged adds, a partition, one add lost, and the failover. */
function history(): Op[] {
  const ops: Omit<Op, "index">[] = [
    { time: 0, process: "monitor", type: "info", f: "leader", value: "n1" },
    { time: 1 * ms, process: 0, type: "invoke", f: "add", key: "s", value: 1 },
    { time: 2 * ms, process: 0, type: "ok", f: "add", key: "s", value: 1, node: "n1" },
    { time: 100 * ms, process: "nemesis", type: "invoke", f: "start-partition-leader", value: null },
    {
      time: 150 * ms,
      process: "nemesis",
      type: "ok",
      f: "start-partition-leader",
      value: { leader: "n1", grudge: "<script>alert(1)</script>" },
    },
    { time: 200 * ms, process: 1, type: "invoke", f: "add", key: "s", value: 2 },
    { time: 210 * ms, process: 1, type: "ok", f: "add", key: "s", value: 2, node: "n1" },
    {
      time: 300 * ms,
      process: "monitor",
      type: "info",
      f: "manager-event",
      value: {
        manager: "s1",
        event: "+switch-master",
        kind: "leader-switch",
        text: "m a 1 b 2",
        from: "n1",
        to: "n2",
      },
    },
    { time: 301 * ms, process: "monitor", type: "info", f: "leader", value: "n2" },
    { time: 302 * ms, process: "monitor", type: "info", f: "writable-leaders", value: ["n1", "n2"] },
    { time: 500 * ms, process: "nemesis", type: "invoke", f: "stop-partition-leader", value: null },
    { time: 520 * ms, process: "nemesis", type: "ok", f: "stop-partition-leader", value: { healed: 4 } },
    { time: 600 * ms, process: 0, type: "invoke", f: "read", key: "s", value: null },
    { time: 610 * ms, process: 0, type: "ok", f: "read", key: "s", value: [1], node: "n2" },
  ];
  return ops.map((o, index) => ({ index, ...o }) as Op);
}

describe("buildReportData", () => {
  it("should list the lost write, the fault window from its invoke, the failover and the loss window", () => {
    const h = history();
    const verdict = runCheckers(prepareCheckers([{ name: "set" }]), h);
    const d = buildReportData({
      history: h,
      results: verdict.results,
      valid: verdict.valid,
      title: "t",
      runDir: "/r",
      seed: 1,
    });
    expect(d.valid).toBe(false);
    expect(d.lost).toEqual([{ element: 2, ackedMs: 210, node: "n1" }]);
    expect(d.faults).toEqual([
      {
        fault: "partition-leader",
        startMs: 100,
        appliedMs: 150,
        endMs: 520,
        detail: { leader: "n1", grudge: "<script>alert(1)</script>" },
      },
    ]);
    expect(d.leaders).toEqual([
      { atMs: 0, leader: "n1" },
      { atMs: 301, leader: "n2" },
    ]);
    expect(d.writable).toEqual([{ atMs: 302, nodes: ["n1", "n2"] }]);
    expect(d.events.map((e) => e.event)).toEqual(["+switch-master"]);
    expect(d.lossWindows).toEqual([{ fault: "partition-leader", fromMs: 100, toMs: 210, lost: 1 }]);
    expect(d.counts).toEqual({ add: { ok: 2, fail: 0, info: 0 }, read: { ok: 1, fail: 0, info: 0 } });
  });
});

describe("renderReportHtml", () => {
  it("should escape every string from the history and load nothing from the network", () => {
    const h = history();
    const verdict = runCheckers(prepareCheckers([{ name: "set" }]), h);
    const html = renderReportHtml(
      buildReportData({
        history: h,
        results: verdict.results,
        valid: verdict.valid,
        title: "<b>x</b>",
        runDir: "/r",
        seed: 1,
      }),
    );
    // The page has scripts of its own (allowed by hash in its CSP); the history's never appears unescaped.
    expect(html).not.toContain("<script>alert(1)");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("&lt;b&gt;x&lt;/b&gt;");
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/\b(src|href)=/);
    expect(html).toContain("INVALID");
    expect(html).toContain("split brain");
  });

  it("should escape quotes and ampersands for attributes", () => {
    expect(escapeHtml(`a"b'c&d<e>`)).toBe("a&quot;b&#39;c&amp;d&lt;e&gt;");
  });
});
