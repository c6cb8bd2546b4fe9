import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Op } from "../../checkers/history/index.js";
import { prepareCheckers, runCheckers } from "../../checkers/registry/index.js";
import {
  buildReportData,
  cycleSvg,
  jsonForScript,
  renderPage,
  renderReportHtml,
  reportScript,
} from "../../harness/report/index.js";

/** Strings a hostile (or merely unlucky) history could hold. */
const HOSTILE = [
  "<script>window.__pwned=1</script>",
  "</script><script>window.__pwned=2</script>",
  `"'><img src=x onerror="window.__pwned=3">`,
  "<!--<script>",
  "\u2028\u2029",
];

function hostileHistory(): Op[] {
  const rows: Omit<Op, "index">[] = [
    { time: 0, process: "monitor", type: "info", f: "leader", value: HOSTILE[0] },
    { time: 1e6, process: 0, type: "invoke", f: "add", key: HOSTILE[1], value: HOSTILE[2] },
    { time: 2e6, process: 0, type: "ok", f: "add", key: HOSTILE[1], value: HOSTILE[2], node: HOSTILE[3] },
    { time: 3e6, process: "nemesis", type: "invoke", f: "start-partition-leader", value: null },
    {
      time: 4e6,
      process: "nemesis",
      type: "ok",
      f: "start-partition-leader",
      value: { withLeader: [HOSTILE[0]], others: [HOSTILE[1]] },
    },
    { time: 5e6, process: 1, type: "invoke", f: "add", value: "x".repeat(100_000) },
    { time: 6e6, process: 1, type: "fail", f: "add", value: "x".repeat(100_000), error: HOSTILE[4] },
    {
      time: 7e6,
      process: "monitor",
      type: "info",
      f: "manager-event",
      value: {
        manager: HOSTILE[0],
        event: "+switch-master",
        kind: "leader-switch",
        text: HOSTILE[1],
        to: HOSTILE[2],
      },
    },
    { time: 8e6, process: 0, type: "invoke", f: "read", value: null },
    { time: 9e6, process: 0, type: "ok", f: "read", value: [], node: "n2" },
  ];
  return rows.map((r, index) => ({ index, ...r }) as Op);
}

describe("jsonForScript", () => {
  it("should read back as the same value and never hold <, >, &, U+2028 or U+2029", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string({ unit: "grapheme" }), (v, s) => {
        for (const x of [v, s, { s, v }]) {
          const text = jsonForScript(x);
          expect(text).not.toMatch(/[<>&\u2028\u2029]/);
          expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(x)));
        }
      }),
    );
  });
});

describe("renderPage", () => {
  it("should allow exactly its own scripts, by hash, and fetch nothing", () => {
    const html = renderPage({
      title: "t",
      body: "<p>b</p>",
      data: { a: 1 },
      script: "console.log(1);",
      uplot: true,
    });
    const csp = /Content-Security-Policy" content="([^"]+)"/.exec(html)![1]!;
    expect(csp).toContain("default-src 'none'");
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    expect(scripts).toHaveLength(2);
    for (const s of scripts) {
      expect(csp).toContain(`'sha256-${createHash("sha256").update(s).digest("base64")}'`);
    }
    expect(html).toContain('<script type="application/json" id="faultline-data">{"a":1}</script>');
  });

  it("should refuse a script that contains its own end tag", () => {
    expect(() => renderPage({ title: "t", body: "", script: "x='</script>'" })).toThrow(/<\/script>/);
  });
});

describe("reportScript", () => {
  it("should be one parseable script that defines every page function and calls the entry point", () => {
    const js = reportScript();
    expect(() => new Function(js)).not.toThrow();
    for (const name of [
      "unpackOps",
      "faultlineUi",
      "faultlineCharts",
      "faultlineTimeline",
      "faultlineReport",
    ]) {
      expect(js).toContain(`function ${name}(`);
    }
    expect(js.trim().endsWith("faultlineReport();")).toBe(true);
  });
});

describe("renderReportHtml", () => {
  it("should escape every string from a hostile history, in the HTML and in the embedded data", () => {
    const h = hostileHistory();
    const verdict = runCheckers(prepareCheckers([{ name: "set" }, { name: "stats" }]), h);
    const html = renderReportHtml(
      buildReportData({
        history: h,
        results: verdict.results,
        valid: verdict.valid,
        title: HOSTILE[0]!,
        runDir: HOSTILE[2]!,
        seed: 1,
        config: { testName: HOSTILE[1], workload: HOSTILE[2] },
      }),
    );
    for (const s of HOSTILE.slice(0, 4)) expect(html).not.toContain(s);
    expect(html).not.toContain("\u2028");
    expect(html).toContain("&lt;script&gt;window.__pwned=1&lt;/script&gt;");
    const data = /id="faultline-data">([\s\S]*?)<\/script>/.exec(html)![1]!;
    expect(data).not.toMatch(/[<>]/);
    const parsed = JSON.parse(data) as { packed: { keys: string[]; val: string[] } };
    expect(parsed.packed.keys).toContain(HOSTILE[1]);
    // Very long values are cut to a preview in the data.
    expect(Math.max(...parsed.packed.val.map((v) => v.length))).toBeLessThanOrEqual(80);
    // Only the page's own two scripts and the data block.
    expect(html.match(/<script/g)).toHaveLength(3);
  });
});

describe("cycleSvg", () => {
  it("should draw a node per transaction and an arrow per step, escaping every label", () => {
    const svg = cycleSvg({
      checker: "list-append",
      kind: "G1c",
      explanation: "",
      txns: [
        { name: "T1", process: 0, outcome: "ok", mops: `["append","<x>",1]`, index: 1, ms: 1 },
        { name: "T2", process: 1, outcome: "ok", mops: "[]", index: 3, ms: 2 },
      ],
      steps: [
        { from: "T1", to: "T2", type: "wr", explanation: "T1 < T2 because <b>" },
        { from: "T2", to: "T1", type: "ww", explanation: "T2 < T1" },
      ],
      context: "",
      rulesOut: [],
    });
    expect(svg.match(/<circle/g)).toHaveLength(2);
    expect(svg.match(/marker-end=/g)).toHaveLength(2);
    expect(svg).toContain('marker-end="url(#arrow-wr)"');
    expect(svg).not.toContain("<x>");
    expect(svg).not.toContain("<b>");
  });
});
