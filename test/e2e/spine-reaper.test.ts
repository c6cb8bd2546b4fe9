import { join } from "node:path";
import { beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { readHistory } from "../../checkers/history/index.js";
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
  it("should remove a SIGKILLed run's processes at the next start, keep --leave-running clusters until asked", async () => {
    // A run whose harness is SIGKILLed mid-run: its Redis processes outlive it (they run detached).
    const storeA = tempStore("reap-a");
    const a = startFaultline([...flags("run --time-limit 60s --nemesis kill-leader"), "--store-dir", storeA]);
    const dirA = await awaitRunGoing(a, storeA, 100, 60_000);
    const idA = runIdOf(dirA);
    expect(processesOfRun(idA).length).toBe(7); // 3 data nodes, 3 failover managers, the proxy: all tagged
    a.kill("SIGKILL");
    await finish(a, 10_000);
    await new Promise((r) => setTimeout(r, 1500)); // the proxy notices its parent is gone
    expect(processesOfRun(idA).length).toBe(6);
    // What was recorded before the SIGKILL is still a readable history.
    expect((await readHistory(join(dirA, "history.jsonl"))).history.length).toBeGreaterThanOrEqual(100);

    // The next run removes them first, and says so; this one keeps its cluster on purpose.
    const storeB = tempStore("reap-b");
    const b = await runFaultline([...flags("run --time-limit 2s --leave-running"), "--store-dir", storeB]);
    expect(b.code, b.stderr).toBe(0);
    expect(b.stderr).toContain(`removed 6 process(es) left behind by dead run(s) ${idA}`);
    // (Its ports are checked at the end: run B may reuse one of them meanwhile.)
    expect(processesOfRun(idA)).toEqual([]);
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
    await expectNothingLeft(dirA);
  });
});
