import { copyFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../harness/cli/index.js";
import { findChecker } from "../../checkers/registry/index.js";
import { toJepsenEdn } from "../../checkers/history/index.js";
import type { Op } from "../../checkers/history/index.js";
import { tempDir } from "./support/temp-dir.js";

const fixtures = join(import.meta.dirname, "..", "fixtures", "histories");
const fixture = (name: string): string => join(fixtures, name);

/** Runs the CLI in-process, capturing what it prints. */
async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const o = process.stdout.write.bind(process.stdout);
  const e = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string) => (out.push(String(s)), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => (err.push(String(s)), true)) as typeof process.stderr.write;
  try {
    const code = await runCli(argv);
    return { code, out: out.join(""), err: err.join("") };
  } finally {
    process.stdout.write = o;
    process.stderr.write = e;
  }
}

function runDir(history: string, config: unknown): string {
  const dir = tempDir("faultline-check-");
  copyFileSync(fixture(history), join(dir, "history.jsonl"));
  writeFileSync(join(dir, "config.json"), JSON.stringify(config));
  return dir;
}

describe("faultline check", () => {
  it("should exit 0 and print each verdict when the history is valid", async () => {
    const r = await cli("check", fixture("set-basic-ok.jsonl"), "--checker", "set,stats");
    expect(r.code).toBe(0);
    expect(r.out).toContain(`history ${fixture("set-basic-ok.jsonl")}: 13 ops`);
    expect(r.out).toMatch(
      /^set {4}valid {4}attempt 4, acknowledged 2, ok 2, lost 0, unexpected 0, recovered 1,/m,
    );
    expect(r.out).toMatch(/^stats {2}valid {4}count 5, ok 3, fail 1, info 1$/m);
    expect(r.out).toContain("verdict: valid (exit 0)");
  });

  it("should exit 1 and explain the anomalies when the history is invalid", async () => {
    const r = await cli("check", fixture("set-lost-bad.jsonl"), "--checker", "set");
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^set {2}INVALID {2}attempt 3, acknowledged 3, ok 2, lost 1,/m);
    expect(r.out).toContain(
      "  lost: 1 acknowledged add(s) missing from the final read (op 7, invoked at 0.010 s): 2 (acknowledged by op 3 at 0.005 s)",
    );
    expect(r.out).toContain("verdict: INVALID (exit 1)");
  });

  it("should exit 254 naming the line and field when the history is malformed", async () => {
    const dir = tempDir("faultline-check-");
    const path = join(dir, "h.jsonl");
    writeFileSync(
      path,
      '{"index":0,"time":1,"process":0,"type":"invoke","f":"add","value":1}\n' +
        '{"index":1,"time":2,"process":0,"type":"okay","f":"add","value":1}\n',
    );
    const r = await cli("check", path, "--checker", "set");
    expect(r.code).toBe(254);
    expect(r.err).toContain(
      `faultline: ${path} line 2: field "type" must be one of invoke, ok, fail, info, got "okay"`,
    );
    expect(r.out).toBe("");
  });

  it("should exit 254 naming the checker when it is unknown", async () => {
    const r = await cli("check", fixture("set-basic-ok.jsonl"), "--checker", "set,sett");
    expect(r.code).toBe(254);
    expect(r.err).toContain('faultline: --checker: unknown checker "sett"; known checkers: set, set-full,');
  });

  it("should report a truncated last line and still judge the history", async () => {
    const r = await cli("check", fixture("set-truncated-tail-ok.jsonl"), "--checker", "set");
    expect(r.code).toBe(0);
    expect(r.out).toContain("line 7 was cut short (crashed writer) and skipped");
  });

  it("should use a run directory's config.json checkers and write results.json keeping the run's fields", async () => {
    const dir = runDir("counter-out-of-bounds-bad.jsonl", {
      checkers: [{ name: "counter", options: { initial: 0 } }, { name: "stats" }],
    });
    writeFileSync(join(dir, "results.json"), JSON.stringify({ valid: true, seed: 42, runId: "r1" }));
    const r = await cli("check", dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      "  out-of-bounds: the read invoked as op 4 at 0.006 s returned 5 for the counter, but it could only have been between 6 and 6",
    );
    expect(r.out).toContain(`results: ${join(dir, "results.json")}`);
    const results = JSON.parse(readFileSync(join(dir, "results.json"), "utf8"));
    expect(results).toMatchObject({
      valid: false,
      seed: 42,
      runId: "r1",
      history: { ops: 6, incomplete: 0 },
      checkers: [
        { label: "counter", name: "counter", options: { initial: 0 } },
        { label: "stats", name: "stats" },
      ],
      results: { counter: { valid: false, errorCount: 1 }, stats: { valid: true } },
    });
  });

  it("should judge a run directory's history.jsonl by its config.json checkers, writing no results file", async () => {
    const dir = runDir("counter-out-of-bounds-bad.jsonl", { checkers: [{ name: "counter" }] });
    const r = await cli("check", join(dir, "history.jsonl"));
    expect(r.code, r.err).toBe(1);
    expect(r.out).toMatch(/^counter {2}INVALID/m);
    expect(r.out).not.toContain("results:");
    expect(existsSync(join(dir, "results.json"))).toBe(false);
    // --checker still wins over config.json.
    const stats = await cli("check", join(dir, "history.jsonl"), "--checker", "stats");
    expect(stats.out).toMatch(/^stats {2}valid/m);
    expect(stats.out).not.toMatch(/^counter/m);
  });

  it("should exit 254 naming config.json's bad checker option", async () => {
    const dir = runDir("set-basic-ok.jsonl", { checkers: [{ name: "set", options: { redF: "x" } }] });
    const r = await cli("check", dir);
    expect(r.code).toBe(254);
    expect(r.err).toContain(
      `faultline: ${join(dir, "config.json")} checkers[0]: checker "set" has no option "redF"`,
    );
  });

  it("should write JSON to --json and exit 2 when a checker cannot decide", async () => {
    const dir = tempDir("faultline-check-");
    const out = join(dir, "out.json");
    const r = await cli("check", fixture("stats-never-ok-bad.jsonl"), "--checker", "set", "--json", out);
    expect(r.code).toBe(2);
    expect(r.out).toContain("  reason: the set was never read: no read op completed ok");
    expect(JSON.parse(readFileSync(out, "utf8"))).toMatchObject({
      valid: "unknown",
      results: { set: { valid: "unknown" } },
    });
  });

  it("should import a Jepsen history.edn", async () => {
    const dir = tempDir("faultline-check-");
    const path = join(dir, "history.edn");
    writeFileSync(
      path,
      "{:index 0, :time 0, :type :invoke, :process 0, :f :add, :value 1}\n" +
        "{:index 1, :time 5, :type :ok, :process 0, :f :add, :value 1}\n" +
        "{:index 2, :time 9, :type :invoke, :process 1, :f :read, :value nil}\n" +
        "{:index 3, :time 12, :type :ok, :process 1, :f :read, :value #{}}\n",
    );
    const r = await cli("check", path, "--checker", "set");
    expect(r.code).toBe(1);
    expect(r.out).toContain("lost: 1 acknowledged add(s) missing");
  });

  it("should export the history as Jepsen EDN with --edn, which checks back to the same verdict", async () => {
    const dir = tempDir("faultline-check-");
    const edn = join(dir, "history.edn");
    const first = await cli("check", fixture("set-lost-bad.jsonl"), "--checker", "set", "--edn", edn);
    expect(first.code).toBe(1);
    expect(first.out).toContain(`edn: ${edn}`);
    const text = readFileSync(edn, "utf8");
    expect(text.split("\n")[0]).toMatch(
      /^\{:index 0, :time \d+, :type :invoke, :process \d+, :f :add, :value \d+\}$/,
    );
    const again = await cli("check", edn, "--checker", "set");
    expect(again.code).toBe(1);
    const verdictLine = (out: string): string | undefined =>
      out.split("\n").find((l) => l.startsWith("set "));
    expect(verdictLine(again.out)).toBe(verdictLine(first.out));
  });

  it("should exit 254 when a bare history file comes without --checker, or the target does not exist", async () => {
    expect((await cli("check", fixture("set-basic-ok.jsonl"))).err).toContain(
      "name the checkers with --checker",
    );
    const r = await cli("check", "/nonexistent/run");
    expect(r.code).toBe(254);
    expect(r.err).toContain("<target>: no such file or directory: /nonexistent/run");
  });

  it("should refuse --model unless the linearizable checker is registered and named", async () => {
    const r = await cli(
      "check",
      fixture("set-basic-ok.jsonl"),
      "--checker",
      "set",
      "--model",
      "cas-register",
    );
    expect(r.code).toBe(254);
    expect(r.err).toContain(
      findChecker("linearizable")
        ? "--model is an option of the linearizable checker, which --checker does not name"
        : "--model needs the linearizable checker, which is not registered in this build",
    );
  });

  it("should pass --model to the linearizable checker when it is registered", async () => {
    const dir = tempDir("faultline-check-");
    const path = join(dir, "register.jsonl");
    writeFileSync(
      path,
      [
        { index: 0, time: 0, process: 0, type: "invoke", f: "write", value: 1 },
        { index: 1, time: 1, process: 0, type: "ok", f: "write", value: 1 },
        { index: 2, time: 2, process: 1, type: "invoke", f: "read", value: null },
        { index: 3, time: 3, process: 1, type: "ok", f: "read", value: 1 },
      ]
        .map((o) => JSON.stringify(o))
        .join("\n") + "\n",
    );
    const r = await cli("check", path, "--model", "cas-register");
    if (!findChecker("linearizable")) {
      expect(r.code).toBe(254);
      expect(r.err).toContain(
        "--model needs the linearizable checker, which is not registered in this build",
      );
      return;
    }
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^linearizable {2}valid /m);
  });

  it("should exit 2, nothing to judge, when the history file is empty", async () => {
    const dir = tempDir("faultline-check-");
    writeFileSync(join(dir, "history.jsonl"), "");
    writeFileSync(
      join(dir, "config.json"),
      JSON.stringify({ checkers: [{ name: "set" }, { name: "stats" }] }),
    );
    const r = await cli("check", dir);
    expect(r.code).toBe(2);
    expect(r.out).toContain("  reason: the history holds no client operation: nothing to judge");
    expect(r.out).toContain("incomplete run: the history is empty");
    expect(r.out).toContain("verdict: unknown (exit 2)");
    const results = JSON.parse(readFileSync(join(dir, "results.json"), "utf8"));
    expect(results).toMatchObject({
      valid: "unknown",
      completeness: { complete: false, finalPhase: "unmarked", missing: ["the history is empty"] },
    });
  });

  it("should exit 2, saying what is missing, for a run killed before its final reads, not take a mid-run read as final", async () => {
    // initial-heal, two acknowledged adds, a partition, then a mid-run read without one of them: the harness died
    // there. Before issue 15 this was judged INVALID (a lost write) from the mid-run read.
    const lines = [
      { index: 0, time: 0, process: "nemesis", type: "invoke", f: "initial-heal", value: null },
      { index: 1, time: 1, process: "nemesis", type: "ok", f: "initial-heal", value: null },
      { index: 2, time: 2, process: 0, type: "invoke", f: "add", value: 1 },
      { index: 3, time: 3, process: 0, type: "ok", f: "add", value: 1, node: "n1" },
      { index: 4, time: 4, process: "nemesis", type: "invoke", f: "partition-leader", value: null },
      { index: 5, time: 5, process: 1, type: "invoke", f: "add", value: 2 },
      { index: 6, time: 6, process: 1, type: "ok", f: "add", value: 2, node: "n1" },
      { index: 7, time: 7, process: 2, type: "invoke", f: "read", value: null },
      { index: 8, time: 8, process: 2, type: "ok", f: "read", value: [1], node: "n2" },
    ];
    const dir = tempDir("faultline-check-");
    writeFileSync(join(dir, "history.jsonl"), lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
    writeFileSync(
      join(dir, "config.json"),
      JSON.stringify({ checkers: [{ name: "set" }, { name: "stats" }] }),
    );
    const r = await cli("check", dir);
    expect(r.code).toBe(2);
    expect(r.out).toContain(
      "  reason: no final read to judge the set by: the history has no final phase (no final-heal op): the run " +
        "was interrupted or the harness died before its final reads",
    );
    expect(r.out).not.toMatch(/lost: |INVALID/);
    expect(r.out).toContain("verdict: unknown (exit 2)");
    const results = JSON.parse(readFileSync(join(dir, "results.json"), "utf8"));
    expect(results).toMatchObject({
      valid: "unknown",
      completeness: { complete: false, finalPhase: "missing" },
    });
    expect(readFileSync(join(dir, "junit.xml"), "utf8")).toContain('type="incomplete"');
    expect(readFileSync(join(dir, "report.html"), "utf8")).toContain('id="incomplete"');
  });
});

describe("faultline check --semantics, --initial, --consistency-model", () => {
  // A cas that failed without an error, then a read of 1 from a register that started at 1.
  const casHistory = [
    { index: 0, time: 0, process: 0, type: "invoke", f: "cas", value: [1, 2] },
    { index: 1, time: 1, process: 0, type: "fail", f: "cas", value: [1, 2] },
    { index: 2, time: 2, process: 1, type: "invoke", f: "read", value: null },
    { index: 3, time: 3, process: 1, type: "ok", f: "read", value: 1 },
  ];

  function write(name: string, text: string): string {
    const path = join(tempDir("faultline-check-"), name);
    writeFileSync(path, text);
    return path;
  }

  it("should read a history.jsonl with faultline's semantics and an .edn with Jepsen's, unless told", async () => {
    const jsonl = write("h.jsonl", casHistory.map((o) => JSON.stringify(o)).join("\n") + "\n");
    // faultline's: the cas ran and saw a value other than 1, yet nothing wrote, so the read of 1 is impossible.
    const own = await cli("check", jsonl, "--model", "cas-register", "--initial", "1");
    expect(own.out).toContain("read with faultline's semantics");
    expect(own.code).toBe(1);
    const asJepsen = await cli(
      "check",
      jsonl,
      "--model",
      "cas-register",
      "--initial",
      "1",
      "--semantics",
      "jepsen",
    );
    expect(asJepsen.out).toContain("read with Jepsen's semantics");
    expect(asJepsen.code).toBe(0);

    const edn = write("h.edn", toJepsenEdn(casHistory as Op[]));
    expect((await cli("check", edn, "--model", "cas-register", "--initial", "1")).code).toBe(0);
    const asOwn = await cli(
      "check",
      edn,
      "--model",
      "cas-register",
      "--initial",
      "1",
      "--semantics",
      "faultline",
    );
    expect(asOwn.code).toBe(1);
  });

  it("should start the model from --initial and record the semantics in the JSON results", async () => {
    const edn = write(
      "h.edn",
      "[{:process 0, :type :invoke, :f :read} {:process 0, :type :ok, :f :read, :value 0}]",
    );
    expect((await cli("check", edn, "--model", "register")).code).toBe(1);
    const json = join(tempDir("faultline-check-"), "r.json");
    expect((await cli("check", edn, "--model", "register", "--initial", "0", "--json", json)).code).toBe(0);
    const results = JSON.parse(readFileSync(json, "utf8")) as {
      history: { semantics: string };
      checkers: { options: Record<string, unknown> }[];
    };
    expect(results.history.semantics).toBe("jepsen");
    expect(results.checkers[0].options).toMatchObject({ model: "register", initial: 0, semantics: "jepsen" });
  });

  it("should check list-append under --consistency-model, implying --checker list-append", async () => {
    // T1 and T2 each read the other's key empty and append to their own: write skew, allowed by snapshot isolation.
    const edn = write(
      "skew.edn",
      `{:type :invoke, :value [[:r :x nil] [:append :y 1]]}
{:type :ok,     :value [[:r :x nil] [:append :y 1]]}
{:type :invoke, :value [[:r :y nil] [:append :x 2]], :process 1}
{:type :ok,     :value [[:r :y nil] [:append :x 2]], :process 1}`,
    );
    expect((await cli("check", edn, "--consistency-model", "snapshot-isolation")).code).toBe(0);
    const r = await cli("check", edn, "--checker", "list-append", "--consistency-model", "serializable");
    expect(r.code).toBe(1);
    expect(r.out).toContain("G2-item");
  });

  it("should exit 254 naming the flag when a flag is malformed or names no checker of its", async () => {
    const path = fixture("set-basic-ok.jsonl");
    const cases: [string[], string][] = [
      [["--model", "register", "--initial", "{x"], "--initial must be JSON"],
      [
        ["--model", "mutex", "--initial", "5"],
        "--initial: mutex's initial state must be true (held) or false (free)",
      ],
      [
        ["--consistency-model", "snapshot"],
        "--consistency-model must be one of read-uncommitted, read-committed",
      ],
      [["--model", "register", "--semantics", "knossos"], "--semantics must be one of jepsen, faultline"],
      [["--checker", "set", "--initial", "0"], "--initial is an option of the linearizable checker"],
      [
        ["--checker", "set", "--consistency-model", "serializable"],
        "--consistency-model is an option of the list-append checker",
      ],
    ];
    for (const [flags, message] of cases) {
      const r = await cli("check", path, ...flags);
      expect(r.code, flags.join(" ")).toBe(254);
      expect(r.err).toContain(message);
    }
  });
});
