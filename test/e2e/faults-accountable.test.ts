/**
 * Issue 15, problem 2, on the real cluster: with `$TMPDIR` unusable, the clock shim cannot be built, so a run whose
 * only fault is a clock fault never skews a clock. The run says so — the failure is in `results.json`'s `faults` and
 * on stderr — and with `--require-faults` it is unknown (exit 2), naming the fault and why.
 */
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  ROOT,
  ensureBuilt,
  expectNothingLeft,
  finish,
  historyOps,
  readJson,
  runDirOf,
  tempStore,
} from "./support/spine-helpers.js";

beforeAll(() => ensureBuilt(), 120_000);

describe("a clock fault that cannot be applied", () => {
  it("should be named in results.json and on stderr, and make a --require-faults run unknown (exit 2)", async () => {
    const store = tempStore("faults");
    // A regular file as $TMPDIR: no directory can be made under it, whoever runs the test (root included).
    const tmp = join(store, "not-a-directory");
    writeFileSync(tmp, "");
    const schedule = join(store, "clock.json");
    writeFileSync(
      schedule,
      JSON.stringify({
        timeLimit: "5s",
        quietPeriod: "2s",
        windows: [
          {
            fault: "clock",
            target: "leader",
            params: { mode: "offset", offset: "30s" },
            start: "1s",
            duration: "2s",
          },
        ],
      }),
    );
    const args = [
      "run",
      "--schedule",
      schedule,
      "--require-faults",
      "--concurrency",
      "2",
      "--store-dir",
      store,
    ];
    const child = Object.assign(
      spawn(process.execPath, [join(ROOT, "bin", "faultline.js"), ...args], {
        cwd: ROOT,
        env: { ...process.env, TMPDIR: tmp },
        stdio: ["ignore", "pipe", "pipe"],
      }),
      { out: { stdout: "", stderr: "" } },
    );
    child.stdout.on("data", (d: Buffer) => (child.out.stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (child.out.stderr += d.toString()));
    const r = await finish(child, 120_000);

    expect(r.code, r.stderr).toBe(2);
    const dir = runDirOf(store);
    const results = readJson(join(dir, "results.json"));
    expect(results.valid).toBe("unknown");
    expect(results.faults).toMatchObject({ scheduled: 1, applied: 0, failed: 1, skipped: 0 });
    const failure = results.faults.failures[0];
    expect(failure.fault).toBe("clock-leader (f1)");
    expect(failure.error).toContain(tmp);
    expect(results.completeness.missing).toEqual([
      expect.stringContaining("1 of 1 scheduled fault did not run: 1 failed to apply (clock-leader (f1): "),
    ]);
    // The history says it too: the start's completion, and its outcome in words.
    const start = historyOps(dir).find((o) => o.f === "start-clock-leader" && o.type !== "invoke");
    expect(start?.value).toMatchObject({ window: "f1", outcome: "failed" });
    expect(start?.time).toBe(failure.time);
    expect(r.stderr).toContain(
      "faults: 1 scheduled, 0 applied, 1 failed, 0 skipped\n  clock-leader (f1) at ",
    );
    expect(r.stderr).toContain(
      "did not run: 1 failed to apply: the run's verdict is unknown (--require-faults)",
    );
    expect(r.stdout).toMatch(/^verdict: unknown/m);
    expect(r.stdout).toContain("missing: 1 of 1 scheduled fault did not run");
    await expectNothingLeft(dir);
  }, 150_000);
});
