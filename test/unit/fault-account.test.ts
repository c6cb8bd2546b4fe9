/**
 * Faults accountable (issue 15, problem 2): every scheduled fault ends up applied, failed to apply or skipped — in
 * the history, in `results.json`'s `faults`, in the progress line and on stderr — and `--require-faults` turns a
 * fault that did not run into an unknown run (exit 2). The bookkeeping runs on the simulated store, whose cluster
 * cannot apply a clock fault (it has no process to restart under the clock shim): a real fault that fails.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { History, Op } from "../../checkers/history/index.js";
import { manualClock } from "../../core/clock/index.js";
import { openHistoryWriter } from "../../core/history/index.js";
import { runCli } from "../../harness/cli/index.js";
import { resolveRunConfig } from "../../harness/config/index.js";
import { runCompleteness, validateRunResults } from "../../harness/results/index.js";
import { progressLine, runTest, tallyHistory, type RunEnvironment } from "../../harness/runner/index.js";
import { recordSkippedFaults, reportFaults } from "../../harness/runner/fault-report.js";
import { accountFaults, faultShortfall, type FaultAccount } from "../../nemesis/execute/index.js";
import type { FaultWindow } from "../../nemesis/schedule/index.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const timing = (id: string, start: number) => ({ id, start, duration: 500, seed: 1 });
const WINDOWS: FaultWindow[] = [
  { ...timing("f1", 100), fault: "kill", target: "leader", params: {} },
  { ...timing("f2", 200), fault: "clock", target: "n2", params: { mode: "offset", offset: 5000 } },
  { ...timing("f3", 300), fault: "pause", target: "random-follower", params: {} },
  { ...timing("f4", 400), fault: "kill", target: "random-manager", params: {} },
  { ...timing("f5", 900), fault: "pause", target: "leader", params: {} },
];

/** A nemesis op of the history, with its index and time (ns) given. */
function nem(index: number, type: Op["type"], f: string, window: string, error?: string): Op {
  return {
    index,
    time: index * 1_000_000,
    process: "nemesis",
    type,
    f,
    value: { window },
    ...(error ? { error } : {}),
  };
}

describe("accountFaults", () => {
  it("should count each window applied, failed (fail, info or never completed) or skipped, naming each failure", () => {
    const history: History = [
      nem(0, "invoke", "start-kill-leader", "f1"),
      nem(1, "ok", "start-kill-leader", "f1"),
      nem(2, "invoke", "start-clock-n2", "f2"),
      nem(
        3,
        "info",
        "start-clock-n2",
        "f2",
        "EPERM: operation not permitted, mkdir '/ro/faultline-clock-shim-0'",
      ),
      nem(4, "invoke", "start-pause-random-follower", "f3"),
      nem(5, "fail", "start-pause-random-follower", "f3", "n2, n3 already down"),
      nem(6, "invoke", "start-kill-random-manager", "f4"),
      // A stop of f1 and an op naming a window of another fault change nothing.
      nem(7, "invoke", "stop-kill-leader", "f1"),
      nem(8, "ok", "stop-kill-leader", "f1"),
      nem(9, "ok", "start-kill-leader", "f5"),
    ];
    expect(accountFaults(history, { windows: WINDOWS })).toEqual({
      scheduled: 5,
      applied: 1,
      failed: 3,
      skipped: 1,
      failures: [
        {
          fault: "clock-n2 (f2)",
          time: 3_000_000,
          error: "EPERM: operation not permitted, mkdir '/ro/faultline-clock-shim-0'",
        },
        { fault: "pause-random-follower (f3)", time: 5_000_000, error: "n2, n3 already down" },
        {
          fault: "kill-random-manager (f4)",
          time: 6_000_000,
          error: "its start never completed (the run was interrupted or the harness died while applying it)",
        },
      ],
    } satisfies FaultAccount);
  });

  it("should account for nothing in a run without faults", () => {
    expect(accountFaults([], { windows: [] })).toEqual({
      scheduled: 0,
      applied: 0,
      failed: 0,
      skipped: 0,
      failures: [],
    });
  });
});

describe("recordSkippedFaults", () => {
  it("should record a skip event for each window never started, which accountFaults counts as skipped", () => {
    const history = openHistoryWriter({ clock: manualClock() });
    history.append({ process: "nemesis", type: "invoke", f: "start-kill-leader", value: { window: "f1" } });
    history.append({ process: "nemesis", type: "ok", f: "start-kill-leader", value: { window: "f1" } });
    const schedule = { timeLimit: 1000, quietPeriod: 0, minDuration: 0, maxDuration: 1000, windows: WINDOWS };
    recordSkippedFaults(history, schedule, false);
    const skips = history.ops.slice(2);
    expect(skips.map((o) => [o.f, o.type, o.value, o.error])).toEqual([
      [
        "skip-clock-n2",
        "fail",
        { window: "f2", outcome: "skipped", at: 200 },
        "skipped: the run's time limit came before its start",
      ],
      [
        "skip-pause-random-follower",
        "fail",
        { window: "f3", outcome: "skipped", at: 300 },
        "skipped: the run's time limit came before its start",
      ],
      [
        "skip-kill-random-manager",
        "fail",
        { window: "f4", outcome: "skipped", at: 400 },
        "skipped: the run's time limit came before its start",
      ],
      [
        "skip-pause-leader",
        "fail",
        { window: "f5", outcome: "skipped", at: 900 },
        "skipped: the run's time limit came before its start",
      ],
    ]);
    expect(accountFaults(history.ops, schedule)).toMatchObject({ applied: 1, failed: 0, skipped: 4 });
    // Recording again adds nothing: a skipped window has no start invoke, but its skip event accounts for it.
    recordSkippedFaults(history, schedule, true);
    expect(history.ops.filter((o) => o.f.startsWith("skip-")).length).toBe(4);
  });
});

describe("faultShortfall", () => {
  it("should say how many faults did not run, naming the first failures, or nothing when all were applied", () => {
    const account: FaultAccount = {
      scheduled: 3,
      applied: 1,
      failed: 1,
      skipped: 1,
      failures: [{ fault: "clock-n2 (f2)", time: 5, error: "EPERM" }],
    };
    expect(faultShortfall(account)).toBe(
      "2 of 3 scheduled faults did not run: 1 failed to apply (clock-n2 (f2): EPERM), " +
        "1 skipped (never started: the run ended or was interrupted first)",
    );
    expect(faultShortfall(account, 0)).toBe(
      "2 of 3 scheduled faults did not run: 1 failed to apply, 1 skipped (never started: the run ended or was interrupted first)",
    );
    expect(faultShortfall({ ...account, applied: 3, failed: 0, skipped: 0, failures: [] })).toBeUndefined();
  });
});

describe("runCompleteness with faults", () => {
  const history: History = [
    { index: 0, time: 0, process: 0, type: "invoke", f: "add", value: 1 },
    { index: 1, time: 1, process: 0, type: "ok", f: "add", value: 1 },
  ];
  const faults: FaultAccount = {
    scheduled: 1,
    applied: 0,
    failed: 1,
    skipped: 0,
    failures: [{ fault: "clock-n2 (f1)", time: 5, error: "EPERM" }],
  };

  it("should leave a run complete when a fault failed and faults are not required", () => {
    expect(runCompleteness(history, { faults }).missing).toEqual([]);
  });

  it("should make a run incomplete, naming the fault, when faults are required", () => {
    expect(runCompleteness(history, { faults, requireFaults: true }).missing).toEqual([
      "1 of 1 scheduled fault did not run: 1 failed to apply (clock-n2 (f1): EPERM), and the run requires every fault (--require-faults)",
    ]);
  });
});

describe("progressLine with scheduled faults", () => {
  it("should count the starts applied and failed against the scheduled number", () => {
    const history = openHistoryWriter({ clock: manualClock() });
    const tally = tallyHistory(history, 3);
    history.append({ process: "nemesis", type: "invoke", f: "start-kill-leader", value: { window: "f1" } });
    history.append({ process: "nemesis", type: "ok", f: "start-kill-leader", value: { window: "f1" } });
    history.append({ process: "nemesis", type: "invoke", f: "start-clock-n2", value: { window: "f2" } });
    history.append({ process: "nemesis", type: "info", f: "start-clock-n2", value: { window: "f2" } });
    expect(progressLine(tally, 2000, 10_000)).toBe(
      "   2.0s / 10s  ok 0  fail 0  info 0  leader ?  faults kill-leader  applied 1/3  failed 1",
    );
  });
});

describe("reportFaults", () => {
  it("should list each failure on stderr with a warning, or the unknown verdict under --require-faults", () => {
    const history: History = [
      nem(0, "invoke", "start-clock-n2", "f2"),
      nem(1500, "info", "start-clock-n2", "f2", "EPERM: mkdir '/ro/x'"),
    ];
    const schedule = {
      timeLimit: 1000,
      quietPeriod: 0,
      minDuration: 0,
      maxDuration: 1000,
      windows: [WINDOWS[1]!],
    };
    const said: string[] = [];
    reportFaults(history, { schedule, requireFaults: false }, (t) => said.push(t));
    expect(said).toEqual([
      "faults: 1 scheduled, 0 applied, 1 failed, 0 skipped\n  clock-n2 (f2) at 1.50 s: EPERM: mkdir '/ro/x'",
      "warning: 1 of 1 scheduled fault did not run: 1 failed to apply; the verdict covers only the faults that ran " +
        "(--require-faults makes such a run unknown, exit 2)",
    ]);
    said.length = 0;
    reportFaults(history, { schedule, requireFaults: true }, (t) => said.push(t));
    expect(said[1]).toBe(
      "1 of 1 scheduled fault did not run: 1 failed to apply: the run's verdict is unknown (--require-faults)",
    );
  });
});

/** A short set run on the simulated store with one clock window on the leader (which that store cannot apply). */
function clockRun(extra: Record<string, unknown> = {}) {
  const storeDir = mkdtempSync(join(tmpdir(), "faultline-faults-"));
  dirs.push(storeDir);
  return resolveRunConfig({
    file: {
      path: "test.json",
      data: {
        store: { kind: "simulated" },
        schedule: {
          timeLimit: "1500ms",
          quietPeriod: "300ms",
          windows: [
            {
              fault: "clock",
              target: "leader",
              params: { mode: "offset", offset: "5s" },
              start: "200ms",
              duration: "500ms",
            },
          ],
        },
        ...extra,
      },
    },
    flags: {
      workload: "set",
      concurrency: "2",
      rate: "100",
      opTimeout: "300ms",
      recoveryTimeout: "5s",
      storeDir,
    },
    freshSeed: () => 3,
  });
}

function env(signal = new AbortController().signal): RunEnvironment & { err: string[] } {
  const err: string[] = [];
  return {
    err,
    stderr: { write: (t: string) => err.push(t) },
    signal,
    now: () => new Date(),
    reap: () => Promise.resolve([]),
  };
}

interface Results {
  valid: unknown;
  faults: FaultAccount;
  requireFaults?: boolean;
  completeness: { complete: boolean; missing: string[] };
}

describe("runTest's fault account", () => {
  it("should record a fault that failed to apply in the history, results.json and stderr, with a warning and exit 0", async () => {
    const e = env();
    const outcome = await runTest(clockRun(), e);
    const results = JSON.parse(readFileSync(join(outcome.dir.path, "results.json"), "utf8")) as Results;
    expect(validateRunResults(results)).toEqual([]);
    const error = "this cluster cannot restart a node under a clock shim and check it took effect";
    expect(results.faults).toEqual({
      scheduled: 1,
      applied: 0,
      failed: 1,
      skipped: 0,
      failures: [{ fault: "clock-leader (f1)", time: expect.any(Number) as number, error }],
    });
    expect(results.valid).toBe(true);
    expect(outcome.exitCode).toBe(0);
    const start = readFileSync(join(outcome.dir.path, "history.jsonl"), "utf8")
      .split("\n")
      .filter((l) => l.includes('"start-clock-leader"') && !l.includes('"invoke"'))
      .map((l) => JSON.parse(l) as Op);
    expect(start).toMatchObject([{ type: "fail", value: { window: "f1", outcome: "failed" }, error }]);
    expect(results.faults.failures[0]!.time).toBe(start[0]!.time);
    const stderr = e.err.join("");
    expect(stderr).toContain(`faults: 1 scheduled, 0 applied, 1 failed, 0 skipped\n  clock-leader (f1) at`);
    expect(stderr).toContain("warning: 1 of 1 scheduled fault did not run: 1 failed to apply");
  }, 30_000);

  it("should make the run unknown (exit 2) with the reason when faults are required", async () => {
    const outcome = await runTest(clockRun({ requireFaults: true }), env());
    expect(outcome.exitCode).toBe(2);
    const results = JSON.parse(readFileSync(join(outcome.dir.path, "results.json"), "utf8")) as Results;
    expect(validateRunResults(results)).toEqual([]);
    expect(results.valid).toBe("unknown");
    expect(results.requireFaults).toBe(true);
    expect(results.completeness.missing).toEqual([
      "1 of 1 scheduled fault did not run: 1 failed to apply (clock-leader (f1): this cluster cannot restart a node " +
        "under a clock shim and check it took effect), and the run requires every fault (--require-faults)",
    ]);
    // `faultline check` judges the same from the files, results.json or not (the harness may have died first).
    rmSync(join(outcome.dir.path, "results.json"));
    expect(await runCli(["check", outcome.dir.path])).toBe(2);
    const again = JSON.parse(readFileSync(join(outcome.dir.path, "results.json"), "utf8")) as Results;
    expect(again.faults).toEqual(results.faults);
    expect(again.completeness.missing).toEqual(results.completeness.missing);
  }, 30_000);

  it("should record a window the run was interrupted before as skipped", async () => {
    const controller = new AbortController();
    const e = env(controller.signal);
    const config = clockRun();
    const late = { ...config.schedule.windows[0]!, start: 1100 } as FaultWindow;
    // Interrupted once the workload runs (its first completion), well before the window's start at 1.1 s.
    const outcome = await runTest(
      { ...config, schedule: { ...config.schedule, windows: [late] } },
      {
        ...e,
        onRunDirectory: () => setTimeout(() => controller.abort(), 300),
      },
    );
    expect(outcome.interrupted).toBe(true);
    const results = JSON.parse(readFileSync(join(outcome.dir.path, "results.json"), "utf8")) as Results;
    expect(results.faults).toEqual({ scheduled: 1, applied: 0, failed: 0, skipped: 1, failures: [] });
    const skip = readFileSync(join(outcome.dir.path, "history.jsonl"), "utf8")
      .split("\n")
      .filter((l) => l.includes('"skip-clock-leader"'))
      .map((l) => JSON.parse(l) as Op);
    expect(skip).toMatchObject([
      {
        process: "nemesis",
        type: "fail",
        value: { window: "f1", outcome: "skipped", at: 1100 },
        error: "skipped: the run was interrupted before its start",
      },
    ]);
  }, 30_000);
});
