import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Op } from "../../checkers/history/index.js";
import { prepareCheckers, runCheckers } from "../../checkers/registry/index.js";
import {
  boundLists,
  runCompleteness,
  runResults,
  validateRunResults,
  writeRunArtifacts,
  writeRunResults,
  type SpilledList,
} from "../../harness/results/index.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "faultline-results-"));
  dirs.push(d);
  return d;
}

/**
 * A faultline run's history in which `n` acknowledged adds are all missing from the final read: initial-heal,
 * n adds acknowledged by n1, final-heal, then a final read served by n2 that returns nothing.
 */
function massLoss(n: number): Op[] {
  const ops: Op[] = [];
  const push = (o: Omit<Op, "index" | "time">): void => {
    ops.push({ index: ops.length, time: ops.length * 1000, ...o } as Op);
  };
  push({ process: "nemesis", type: "invoke", f: "initial-heal", value: null });
  push({ process: "nemesis", type: "ok", f: "initial-heal", value: null });
  for (let i = 0; i < n; i++) {
    push({ process: i % 4, type: "invoke", f: "add", value: i });
    push({ process: i % 4, type: "ok", f: "add", value: i, node: "n1" });
  }
  push({ process: "nemesis", type: "invoke", f: "final-heal", value: null });
  push({ process: "nemesis", type: "ok", f: "final-heal", value: null });
  push({ process: 0, type: "invoke", f: "read", value: null });
  push({ process: 0, type: "ok", f: "read", value: [], node: "n2" });
  return ops;
}

describe("writeRunResults", () => {
  it("should write a small results.json and stream the full lists beside it when a million acknowledged writes are lost", () => {
    // The set checker's result for a million lost adds (issue 15: ~900,000 made JSON.stringify fail with
    // "Invalid string length" and no results were written at all).
    const n = 1_000_000;
    const lost = Array.from({ length: n }, (_, i) => ({
      element: i,
      op: 2 + 2 * i,
      ackedAt: 3 + 2 * i,
      ackedTime: 1000 * i,
    }));
    const elements = lost.map((l) => l.element);
    const set = {
      valid: false as const,
      anomalies: [
        {
          kind: "lost",
          explanation: `${n} acknowledged add(s) missing`,
          ops: lost.map((l) => l.op),
          elements,
        },
      ],
      counts: { add: { ok: n, fail: 0, info: 0 }, read: { ok: 1, fail: 0, info: 0 } },
      finalRead: { op: 2 * n + 4, completedAt: 2 * n + 5, time: 1e9, size: 0 },
      attemptCount: n,
      acknowledgedCount: n,
      okCount: 0,
      lost,
      lostCount: n,
      unexpectedCount: 0,
      recoveredCount: 0,
      failedButPresentCount: 0,
      concurrentCount: 0,
      duplicatedCount: 0,
    };
    const history = massLoss(1);
    const dir = tempDir();
    const path = join(dir, "results.json");
    const written = writeRunResults(
      path,
      runResults({
        composed: { valid: false, results: { set } },
        history,
        historyInfo: { ops: 2 * n + 6, incomplete: 0 },
      }),
    );
    const text = readFileSync(path, "utf8");
    expect(text.length).toBeLessThan(100_000);
    const doc = JSON.parse(text) as typeof written;
    expect(doc).toEqual(JSON.parse(JSON.stringify(written)));
    expect(validateRunResults(doc)).toEqual([]);
    expect(doc.valid).toBe(false);
    expect(doc.results.set).toMatchObject({ lostCount: n, attemptCount: n });
    expect((doc.results.set as typeof set).lost).toEqual(lost.slice(0, 100));
    expect(doc.lists).toEqual({
      set: {
        lost: { count: n, shown: 100, file: "results.lists/set.lost.jsonl" },
        "anomalies.0.ops": { count: n, shown: 100, file: "results.lists/set.anomalies.0.ops.jsonl" },
        "anomalies.0.elements": {
          count: n,
          shown: 100,
          file: "results.lists/set.anomalies.0.elements.jsonl",
        },
      },
    });
    // The full list, streamed: one lost element per line, every one of them.
    const lines = readFileSync(join(dir, "results.lists/set.lost.jsonl"), "utf8").split("\n");
    expect(lines).toHaveLength(n + 1); // the last line is empty
    expect(JSON.parse(lines[n - 1]!)).toEqual(lost[n - 1]);
  }, 60_000);
});

describe("writeRunArtifacts", () => {
  it("should write results.json, the report and JUnit for a run with 100,000 lost writes, its lists bounded", () => {
    // 100,000 lost writes gave a 65.6 MB results.json before lists were bounded.
    const n = 100_000;
    const history = massLoss(n);
    const composed = runCheckers(prepareCheckers([{ name: "set" }]), history);
    expect(composed.valid).toBe(false);
    const dir = tempDir();
    const paths = writeRunArtifacts({
      runDir: dir,
      history,
      results: { ...composed, history: { ops: history.length, incomplete: 0 }, seed: 7, runId: "t/1" },
    });
    const doc = JSON.parse(readFileSync(paths.results, "utf8")) as {
      valid: unknown;
      results: { set: { lostCount: number; lost: unknown[] } };
      lists: Record<string, Record<string, SpilledList>>;
      completeness: { complete: boolean };
    };
    expect(statSync(paths.results).size).toBeLessThan(100_000);
    expect(validateRunResults(doc)).toEqual([]);
    expect(doc.valid).toBe(false);
    expect(doc.completeness.complete).toBe(true);
    expect(doc.results.set.lostCount).toBe(n);
    expect(doc.results.set.lost).toHaveLength(100);
    expect(doc.lists.set!.lost).toEqual({ count: n, shown: 100, file: "results.lists/set.lost.jsonl" });
    const report = readFileSync(paths.report, "utf8");
    expect(report).toContain(`Lost writes (${n.toString()})`);
    const junit = readFileSync(paths.junit, "utf8");
    expect(junit).toContain('failures="1"');
    expect(junit).toContain(`${n} acknowledged add(s) missing from the final read`);
  }, 60_000);

  it("should mark an incomplete run in results.json, the report and JUnit, and never call it valid", () => {
    // A run killed before its final phase: the adds were acknowledged, a mid-run read saw them all.
    const history = massLoss(3).slice(0, -4);
    history.push(
      { index: history.length, time: 1e6, process: 1, type: "invoke", f: "read", value: null },
      { index: history.length + 1, time: 2e6, process: 1, type: "ok", f: "read", value: [0, 1, 2] },
    );
    const composed = runCheckers(prepareCheckers([{ name: "set" }, { name: "stats" }]), history);
    const dir = tempDir();
    const paths = writeRunArtifacts({
      runDir: dir,
      history,
      results: {
        ...composed,
        history: { ops: history.length, incomplete: 0 },
        interrupted: true,
        final: null,
      },
    });
    const doc = JSON.parse(readFileSync(paths.results, "utf8")) as Record<string, unknown>;
    expect(validateRunResults(doc)).toEqual([]);
    expect(doc.valid).toBe("unknown");
    expect(doc.completeness).toEqual({
      complete: false,
      finalPhase: "missing",
      missing: [
        "the history has no final phase (no final-heal op): the run was interrupted or the harness died before its final reads",
        "the run was interrupted (Ctrl-C) before its end",
      ],
    });
    const report = readFileSync(paths.report, "utf8");
    expect(report).toContain('id="incomplete"');
    expect(report).toContain("the run was interrupted (Ctrl-C) before its end");
    const junit = readFileSync(paths.junit, "utf8");
    expect(junit).toMatch(
      /<testcase [^>]*name="run"[^>]*>\s*<error message="incomplete run: the history has no final phase/,
    );
    expect(junit).toContain('<property name="incomplete"');
  });
});

describe("runResults", () => {
  it("should make a run whose checkers all passed unknown when its final reads failed", () => {
    const history = massLoss(2);
    const composed = runCheckers(prepareCheckers([{ name: "stats" }]), history);
    expect(composed.valid).toBe(true);
    const doc = runResults({
      composed,
      history,
      historyInfo: { ops: history.length, incomplete: 0 },
      final: { readsDone: false, error: "the final read did not succeed within 100 ms" },
    });
    expect(doc.valid).toBe("unknown");
    expect(doc.completeness.missing).toEqual([
      "the final reads did not succeed (the final read did not succeed within 100 ms)",
    ]);
  });
});

describe("runCompleteness", () => {
  it("should call an empty history incomplete", () => {
    expect(runCompleteness([])).toEqual({
      complete: false,
      finalPhase: "unmarked",
      missing: ["the history is empty"],
    });
  });

  it("should call a history without phase markers (imported from Jepsen) complete", () => {
    const h: Op[] = [
      { index: 0, time: 0, process: 0, type: "invoke", f: "read", value: null },
      { index: 1, time: 1, process: 0, type: "ok", f: "read", value: [] },
    ];
    expect(runCompleteness(h)).toEqual({ complete: true, finalPhase: "unmarked", missing: [] });
  });
});

describe("boundLists", () => {
  it("should keep the first items of every long list at any depth, count them, and leave short ones whole", () => {
    const spilled: Record<string, SpilledList> = {};
    const value = { a: [1, 2, 3, 4], b: [{ c: [1, 2, 3] }], d: [1] };
    expect(boundLists(value, ["x"], spilled, { max: 2 })).toEqual({ a: [1, 2], b: [{ c: [1, 2] }], d: [1] });
    expect(spilled).toEqual({ a: { count: 4, shown: 2 }, "b.0.c": { count: 3, shown: 2 } });
    expect(value.a).toHaveLength(4);
  });
});
