import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { History } from "../../checkers/history/index.js";
import { unscheduledFailoverLines } from "../../harness/cli/commands/unscheduled-failovers.js";
import { failoverExplanations, renderFailoverExplanations } from "../../harness/report/index.js";
import { runResults, validateRunResults } from "../../harness/results/index.js";

const evidence = (index: number, ms: number, value: unknown) => ({
  index,
  time: ms * 1e6,
  process: "monitor" as const,
  type: "info" as const,
  f: "failover-evidence",
  value,
});

const history = [
  evidence(0, 6234.9, {
    term: 1,
    manager: "s1",
    leader: "n1",
    cause: "leader-down",
    explanation:
      "s1 declared n1 down (epoch 1): n1 was down (the harness could not reach it either: not connected)",
  }),
  { index: 1, time: 7e9, process: "monitor", type: "info", f: "failover-evidence", value: { manager: "s2" } },
  evidence(2, 15283.2, {
    term: 3,
    manager: "s1",
    leader: "n3",
    cause: "manager-reconnect",
    explanation: "s1 declared n3 down (epoch 3) though it was up: <n3> answered the harness in 0.4 ms",
  }),
] as unknown as History;

describe("failoverExplanations", () => {
  it("should give one line per failover-evidence op, marking those faultline's faults do not explain", () => {
    expect(failoverExplanations(history)).toEqual([
      {
        atMs: 6234.9,
        term: 1,
        manager: "s1",
        leader: "n1",
        cause: "leader-down",
        unscheduled: false,
        explanation:
          "s1 declared n1 down (epoch 1): n1 was down (the harness could not reach it either: not connected)",
      },
      {
        atMs: 15283.2,
        term: 3,
        manager: "s1",
        leader: "n3",
        cause: "manager-reconnect",
        unscheduled: true,
        explanation: "s1 declared n3 down (epoch 3) though it was up: <n3> answered the harness in 0.4 ms",
      },
    ]);
  });

  it("should render escaped lines with the unscheduled ones marked, and a note when there are none", () => {
    const html = renderFailoverExplanations(failoverExplanations(history));
    expect(html).toContain('15.283 s <span class="verdict v-false">unscheduled</span>');
    expect(html).toContain("&lt;n3&gt; answered");
    expect(html).not.toContain("<n3>");
    expect(renderFailoverExplanations([])).toContain("No failover explained");
  });
});

describe("runResults failovers", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it("should list the explained failovers in results.json, valid to its schema, and the summary the unscheduled ones", () => {
    const doc = runResults({
      composed: { valid: true, results: {} },
      history,
      historyInfo: { ops: history.length, incomplete: 0 },
    });
    expect(doc.failovers?.map((f) => [f.leader, f.cause, f.unscheduled])).toEqual([
      ["n1", "leader-down", false],
      ["n3", "manager-reconnect", true],
    ]);
    expect(validateRunResults(JSON.parse(JSON.stringify(doc)))).toEqual([]);
    const dir = mkdtempSync(join(tmpdir(), "faultline-failovers-"));
    dirs.push(dir);
    writeFileSync(join(dir, "results.json"), JSON.stringify(doc));
    expect(unscheduledFailoverLines(join(dir, "results.json"))).toEqual([
      "unscheduled failover at 15.283 s: s1 declared n3 down (epoch 3) though it was up: <n3> answered the harness in 0.4 ms",
    ]);
    expect(unscheduledFailoverLines(join(dir, "missing.json"))).toEqual([]);
  });

  it("should leave failovers out when the history explains none", () => {
    const doc = runResults({
      composed: { valid: true, results: {} },
      history: [],
      historyInfo: { ops: 0, incomplete: 0 },
    });
    expect(doc.failovers).toBeUndefined();
  });
});
