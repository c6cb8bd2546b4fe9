import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  HarnessWatchdog,
  LocalProcess,
  processStartTime,
  runTagForThisProcess,
  type RunTag,
} from "../../core/backends/local/index.js";
import { isFaultlineError } from "../../core/errors/index.js";

const started: LocalProcess[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((p) => p.kill()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "faultline-local-process-"));
  dirs.push(d);
  return d;
}

const tag = (dir: string) => runTagForThisProcess(`unit-local-process/${process.pid}/${Date.now()}`, dir);

describe("LocalProcess.start", () => {
  it("should exec the command itself with the parent-death signal set when dieWithHarness is true", async () => {
    const dir = tempDir();
    const p = await LocalProcess.start(
      {
        name: "s",
        command: "sleep",
        args: ["60"],
        cwd: dir,
        outputFile: join(dir, "s.log"),
        dieWithHarness: true,
      },
      tag(dir),
    );
    started.push(p);
    // setpriv execs: same pid, the command's own command line.
    let cmdline = "";
    for (let i = 0; i < 200 && !cmdline.startsWith("sleep"); i++) {
      cmdline = readFileSync(`/proc/${p.pid}/cmdline`, "latin1").split("\0").join(" ").trim();
      if (!cmdline.startsWith("sleep")) await new Promise((r) => setTimeout(r, 10));
    }
    expect(cmdline).toBe("sleep 60");
  });

  it("should say a missing binary is not installed when it would start through setpriv", async () => {
    const dir = tempDir();
    const err = await LocalProcess.start(
      {
        name: "n1",
        command: "faultline-no-such-server",
        args: [],
        cwd: dir,
        outputFile: join(dir, "n1.log"),
        dieWithHarness: true,
      },
      tag(dir),
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isFaultlineError(err)).toBe(true);
    expect((err as Error).message).toBe(
      "cannot start n1 (faultline-no-such-server): spawn faultline-no-such-server ENOENT",
    );
    expect((err as { hint?: string }).hint).toMatch(
      /faultline-no-such-server is not installed or not on PATH/,
    );
  });
});

describe("HarnessWatchdog", () => {
  it("should keep watching while the harness lives, and stop without killing anything", async () => {
    const dir = tempDir();
    const t = tag(dir);
    const watchdog = await HarnessWatchdog.start(t, { dir });
    const victim = await LocalProcess.start(
      { name: "v", command: "sleep", args: ["60"], cwd: dir, outputFile: join(dir, "v.log") },
      t,
    );
    started.push(victim);
    expect(watchdog.process.alive).toBe(true);
    await watchdog.stop();
    expect(watchdog.process.alive).toBe(false);
    expect(victim.alive).toBe(true);
    expect(readFileSync(join(dir, "watchdog.log"), "utf8")).not.toContain("is gone");
  });
});

describe("HarnessWatchdog after the harness's death", () => {
  it("should save the logs of a scratch directory into the run directory and remove the scratch directory", async () => {
    const runDir = tempDir();
    const scratch = tempDir();
    mkdirSync(join(scratch, "nodes", "n1", "data"), { recursive: true });
    writeFileSync(join(scratch, "nodes", "n1", "postgres.log"), "LOG:  database system is ready\n");
    writeFileSync(join(scratch, "nodes", "n1", "data", "PG_VERSION"), "15\n");
    // A stand-in harness: the watchdog watches its pid and start time, and acts once it is gone.
    const harness = spawn("sleep", ["60"], { stdio: "ignore" });
    await new Promise((r) => harness.once("spawn", r));
    const t: RunTag = {
      runId: `unit-watchdog-scratch/${process.pid}/${Date.now()}`,
      harnessPid: harness.pid!,
      harnessStart: processStartTime(harness.pid!)!,
      runDir,
    };
    const nodesDir = join(scratch, "nodes");
    const watchdog = await HarnessWatchdog.start(t, {
      dir: nodesDir,
      scratch: { dir: scratch, logsFrom: nodesDir, logsTo: join(runDir, "nodes") },
    });
    started.push(watchdog.process);
    expect(existsSync(scratch)).toBe(true);
    harness.kill("SIGKILL");
    for (let i = 0; i < 100 && existsSync(scratch); i++) await new Promise((r) => setTimeout(r, 100));
    expect(existsSync(scratch)).toBe(false);
    expect(readFileSync(join(runDir, "nodes", "n1", "postgres.log"), "utf8")).toContain("ready");
    expect(existsSync(join(runDir, "nodes", "n1", "data"))).toBe(false);
  });
});
