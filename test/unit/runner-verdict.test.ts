import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkRunHistory } from "../../harness/runner/index.js";
import { tempDir } from "./support/temp-dir.js";

/** A register history a faultline run recorded with its final phase: initial-heal, a write, final-heal, a read. */
const lines = [
  { index: 0, time: 0, process: "nemesis", type: "invoke", f: "initial-heal", value: null },
  { index: 1, time: 1, process: "nemesis", type: "ok", f: "initial-heal", value: null },
  { index: 2, time: 2, process: 0, type: "invoke", f: "write", value: 1, key: "k" },
  { index: 3, time: 3, process: 0, type: "ok", f: "write", value: 1, key: "k" },
  { index: 4, time: 4, process: "nemesis", type: "invoke", f: "final-heal", value: null },
  { index: 5, time: 5, process: "nemesis", type: "ok", f: "final-heal", value: null },
  { index: 6, time: 6, process: 0, type: "invoke", f: "read", value: null, key: "k" },
  { index: 7, time: 7, process: 0, type: "ok", f: "read", value: 1, key: "k" },
];

function historyFile(ops: readonly object[]): string {
  const path = join(tempDir("faultline-verdict-"), "history.jsonl");
  writeFileSync(path, ops.map((o) => JSON.stringify(o)).join("\n") + (ops.length > 0 ? "\n" : ""));
  return path;
}

const checkers = [{ name: "linearizable", options: { model: "register" } }];

describe("checkRunHistory", () => {
  it("should be valid and complete when the final phase was recorded and its reads succeeded", async () => {
    const { verdict } = await checkRunHistory(historyFile(lines), checkers, {
      interrupted: false,
      final: { readsDone: true, leader: "n1" },
    });
    expect(verdict.valid).toBe(true);
    expect(verdict.completeness).toEqual({ complete: true, finalPhase: "recorded", missing: [] });
  });

  it("should be unknown when the final reads failed, though every checker found the history valid", async () => {
    const { verdict } = await checkRunHistory(historyFile(lines), checkers, {
      final: { readsDone: false, error: "the final read did not succeed within 30000 ms" },
    });
    expect(verdict.results.linearizable!.valid).toBe(true);
    expect(verdict.valid).toBe("unknown");
    expect(verdict.completeness.missing).toEqual([
      "the final reads did not succeed (the final read did not succeed within 30000 ms)",
    ]);
  });

  it("should be unknown when the harness died before the final phase, and when the history is empty", async () => {
    const killed = await checkRunHistory(historyFile(lines.slice(0, 4)), checkers);
    expect(killed.verdict.valid).toBe("unknown");
    expect(killed.verdict.completeness.finalPhase).toBe("missing");
    const empty = await checkRunHistory(historyFile([]), checkers);
    expect(empty.verdict.valid).toBe("unknown");
    expect(empty.verdict.completeness.missing).toEqual(["the history is empty"]);
  });
});
