import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { readHistory } from "../../checkers/history/index.js";
import { runTagEnv } from "../../core/backends/local/index.js";
import {
  awaitRunGoing,
  ensureBuilt,
  expectNothingLeft,
  finish,
  flags,
  processesOfRun,
  runDirOf,
  runIdOf,
  runFaultline,
  startFaultline,
  tempStore,
} from "./support/spine-helpers.js";

beforeAll(() => ensureBuilt(), 120_000);

describe("leftovers of killed runs, --leave-running and faultline cleanup", () => {
  it("should kill a SIGKILLed run's cluster within seconds, remove older leftovers at the next start, keep --leave-running clusters until asked", async () => {
    // A run whose harness is SIGKILLed mid-run: its processes die with it (the parent-death signal and the run's
    // watchdog), without waiting for another run.
    const storeA = tempStore("reap-a");
    const a = startFaultline([...flags("run --time-limit 60s --nemesis kill-leader"), "--store-dir", storeA]);
    const dirA = await awaitRunGoing(a, storeA, 100, 60_000);
    const idA = runIdOf(dirA);
    // 3 data nodes, 3 failover managers, the proxy and the run's watchdog: all tagged
    expect(processesOfRun(idA).length).toBe(8);
    a.kill("SIGKILL");
    await finish(a, 10_000);
    await expectNothingLeft(dirA); // within 5 s: no process of the run, nothing on its ports
    // What was recorded before the SIGKILL is still a readable history.
    expect((await readHistory(join(dirA, "history.jsonl"))).history.length).toBeGreaterThanOrEqual(100);

    // What a dead run left anyway (here a tagged process whose harness is gone, as if its watchdog had been
    // killed too) is removed by the next run, which says so.
    const dead = spawnSync("true").pid!;
    const idDead = `e2e-dead-run/${process.pid}/${Date.now()}`;
    const orphan = spawn("sleep", ["120"], {
      detached: true,
      stdio: "ignore",
      env: {
        ...process.env,
        ...runTagEnv({ runId: idDead, harnessPid: dead, harnessStart: "1", runDir: "" }),
      },
    });
    orphan.unref();
    onTestFinished(() => void (orphan.exitCode === null && orphan.kill("SIGKILL")));
    expect(processesOfRun(idDead)).toEqual([orphan.pid]);

    // The next run removes them first, and says so; this one keeps its cluster on purpose.
    const storeB = tempStore("reap-b");
    const b = await runFaultline([...flags("run --time-limit 2s --leave-running"), "--store-dir", storeB]);
    expect(b.code, b.stderr).toBe(0);
    expect(b.stderr).toContain(`removed 1 process(es) left behind by dead run(s) ${idDead}`);
    expect(processesOfRun(idDead)).toEqual([]);
    const dirB = runDirOf(storeB);
    const idB = runIdOf(dirB);
    onTestFinished(async () => void (await runFaultline(["cleanup", "--run", idB])));
    expect(b.stderr).toContain(
      `cluster left running (7 processes); stop it with: faultline cleanup --run ${idB}`,
    );
    expect(processesOfRun(idB).length).toBe(7);

    // A plain cleanup leaves the kept cluster alone; naming the run removes it.
    const plain = await runFaultline(["cleanup"]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).not.toContain(idB);
    expect(processesOfRun(idB).length).toBe(7);
    const named = await runFaultline(["cleanup", "--run", idB]);
    expect(named.code).toBe(0);
    expect(named.stdout).toContain(`removed 7 process(es)`);
    expect(named.stdout).toContain(`of run ${idB}: redis-server`);
    await expectNothingLeft(dirB);
  });
});
