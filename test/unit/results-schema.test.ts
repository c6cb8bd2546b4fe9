import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readHistory, type History, type Op } from "../../checkers/history/index.js";
import { checkerNames, prepareCheckers, runCheckers } from "../../checkers/registry/index.js";
import { resultsJsonSchema, validateRunResults } from "../../harness/results/index.js";
import { TxnHistory } from "./list-append-fixtures.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/histories/", import.meta.url));

/** A results.json the way `faultline check` writes it, from every registered checker. */
function resultsOf(history: History): Record<string, unknown> {
  const specs = checkerNames().map((name) =>
    name === "linearizable" ? { name, options: { model: "register" } } : { name },
  );
  const composed = runCheckers(prepareCheckers(specs), history);
  return {
    schemaVersion: 1,
    valid: composed.valid,
    results: composed.results,
    history: { ops: history.length, incomplete: 0 },
  };
}

const nonlinearizable: Op[] = [
  { index: 0, time: 0, process: 0, type: "invoke", f: "write", key: "k", value: 1 },
  { index: 1, time: 1, process: 0, type: "ok", f: "write", key: "k", value: 1 },
  { index: 2, time: 2, process: 1, type: "invoke", f: "read", key: "k", value: null },
  { index: 3, time: 3, process: 1, type: "ok", f: "read", key: "k", value: 2 },
];

describe("validateRunResults", () => {
  it("should accept what every registered checker returns on every fixture history", async () => {
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith(".jsonl"));
    expect(files.length).toBeGreaterThan(10);
    const verdicts = new Set<unknown>();
    for (const f of files) {
      const { history } = await readHistory(join(FIXTURES, f));
      const results = resultsOf(history);
      verdicts.add(results.valid);
      expect(validateRunResults(results), f).toEqual([]);
    }
    expect([...verdicts]).toEqual(expect.arrayContaining([true, false]));
  });

  it("should accept an invalid linearizability result with its counterexample and a list-append cycle", () => {
    const lin = resultsOf(nonlinearizable);
    expect((lin.results as Record<string, { valid: unknown }>).linearizable!.valid).toBe(false);
    expect(validateRunResults(lin)).toEqual([]);
    const cycle = new TxnHistory()
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
    const la = resultsOf(cycle);
    expect((la.results as Record<string, { valid: unknown }>)["list-append"]!.valid).toBe(false);
    expect(validateRunResults(la)).toEqual([]);
  });

  it("should name the field of every problem", async () => {
    expect(validateRunResults({ results: {}, history: { ops: 1, incomplete: 0 } })).toEqual([
      'valid: must be true, false or "unknown"',
    ]);
    const bad = resultsOf((await readHistory(join(FIXTURES, "set-lost-bad.jsonl"))).history);
    (bad.results as Record<string, Record<string, unknown>>).set!.lostCount = "three";
    expect(validateRunResults(bad)).toEqual([expect.stringMatching(/^results\.set\.lostCount: /)]);
    const wrong = {
      ...resultsOf((await readHistory(join(FIXTURES, "set-lost-bad.jsonl"))).history),
      valid: true,
    };
    expect(validateRunResults(wrong)).toEqual(["valid: must be the worst of the checkers' verdicts (false)"]);
    const noReason = {
      valid: "unknown",
      results: { set: { valid: "unknown" } },
      history: { ops: 0, incomplete: 0 },
    };
    expect(validateRunResults(noReason).join("\n")).toMatch(/results\.set/);
  });

  it("should accept a checker's result it does not know, and an unknown result without details", () => {
    expect(
      validateRunResults({
        valid: "unknown",
        results: {
          "my-checker": { valid: true, anything: [1] },
          set: { valid: "unknown", reason: "checker threw: x", error: "x" },
        },
        history: { ops: 0, incomplete: 0 },
        seed: 3,
        runId: "set/1",
        interrupted: false,
        final: { leader: "n2", readsDone: true },
      }),
    ).toEqual([]);
  });
});

describe("resultsJsonSchema", () => {
  it("should give a JSON Schema with the top-level fields", () => {
    const s = resultsJsonSchema();
    expect(s.$schema).toMatch(/json-schema/);
    expect(Object.keys(s.properties as object)).toEqual(
      expect.arrayContaining(["valid", "results", "history", "seed", "runId", "final"]),
    );
  });
});
