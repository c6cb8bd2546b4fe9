import { describe, expect, it } from "vitest";
import { escapeXml, junitXml } from "../../harness/results/index.js";

describe("escapeXml", () => {
  it("should escape markup and replace characters XML cannot carry", () => {
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;");
    expect(escapeXml("a\u0000b\u001bc\td\ne")).toBe("a\uFFFDb\uFFFDc\td\ne");
    expect(escapeXml("\uD800x\uD83D\uDE00")).toBe("\uFFFDx\uD83D\uDE00");
  });
});

describe("junitXml", () => {
  it("should give a test case per checker: valid passes, invalid fails with its explanations, unknown errors", () => {
    const xml = junitXml("faultline", [
      {
        name: "set-partition-leader",
        seconds: 12.5,
        timestamp: "2026-11-26T07:00:00.000Z",
        results: {
          set: {
            valid: false,
            anomalies: [{ kind: "lost", explanation: "3 acknowledged add(s) missing <from> the final read" }],
          },
          stats: { valid: true },
          linearizable: { valid: "unknown", reason: "out of time after 30 s" },
        },
        properties: { seed: 42, runId: "set/1", missing: undefined },
        context: { set: ["- 3 acknowledged adds lost, acknowledged by n1 during partition-leader #1"] },
      },
    ]);
    expect(xml).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="faultline" tests="3" failures="1" errors="1" time="12.500">/,
    );
    expect(xml).toContain(
      '<testsuite name="set-partition-leader" tests="3" failures="1" errors="1" skipped="0" time="12.500" timestamp="2026-11-26T07:00:00.000Z">',
    );
    expect(xml).toContain('<property name="seed" value="42"/>');
    expect(xml).not.toContain('name="missing"');
    expect(xml).toContain(
      '<failure message="3 acknowledged add(s) missing &lt;from&gt; the final read" type="lost">lost: 3 acknowledged add(s) missing &lt;from&gt; the final read\n\nAround the faults:\n- 3 acknowledged adds lost, acknowledged by n1 during partition-leader #1</failure>',
    );
    expect(xml).toContain(
      '<testcase classname="faultline.set-partition-leader" name="stats" time="0"></testcase>',
    );
    expect(xml).toContain(
      '<error message="out of time after 30 s" type="unknown">out of time after 30 s</error>',
    );
  });

  it("should give a run without a verdict one errored test case, and add up suites", () => {
    const xml = junitXml("campaign", [
      { name: "a", seconds: 1, results: { set: { valid: true } } },
      { name: "b", seconds: 2, results: {}, error: "the cluster did not start" },
    ]);
    expect(xml).toContain('<testsuites name="campaign" tests="2" failures="0" errors="1" time="3.000">');
    expect(xml).toContain('<error message="the cluster did not start" type="no-verdict">');
  });
});
