import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { manualClock } from "../../core/clock/index.js";
import { openHistoryWriter } from "../../core/history/index.js";
import { healAtStart, runFinalPhase } from "../../harness/runner/index.js";
import { noopClient } from "../../core/clients/index.js";
import { setWorkload } from "../../workloads/index.js";
import { assertHealed, faultResidue, healCluster } from "../../nemesis/heal/index.js";
import { fakeFaultCluster } from "./support/fake-fault-cluster.js";

const dir = mkdtempSync(join(tmpdir(), "faultline-heal-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const SHIM = "/x/faultline-clock-abc.so";

/** A fake cluster with one of every fault on it: a cut, a toxic, a paused, a dead and a skewed node. */
async function broken(stubborn = false) {
  const f = fakeFaultCluster({ dir, stubborn });
  await f.cluster.cutLinks([{ source: "n2", destination: "n1", stream: "upstream" }]);
  await f.cluster.addLinkToxics([{ source: "s1", destination: "s2", stream: "downstream" }], {
    type: "latency",
  });
  await f.cluster.pause("s3");
  await f.cluster.kill("n3");
  await f.cluster.kill("s1");
  await f.cluster.restart("s1", { env: { LD_PRELOAD: SHIM } });
  return f;
}

describe("faultResidue", () => {
  it("should name every fault left: link toxics, stopped, dead and skewed processes", async () => {
    const { cluster } = await broken();
    expect(await faultResidue(cluster)).toEqual([
      "link toxic blackhole upstream n2->n1",
      "link toxic latency downstream s1->s2",
      "n3 is not running",
      `s1 (pid 1001) runs with a skewed clock (LD_PRELOAD=${SHIM})`,
      "s3 (pid 105) is stopped (SIGSTOP)",
    ]);
  });
});

describe("healCluster", () => {
  it("should undo every fault, so that nothing is left", async () => {
    const { cluster, state } = await broken();
    expect(await healCluster(cluster)).toEqual({ restarted: ["n3"], unskewed: ["s1"] });
    expect(await faultResidue(cluster)).toEqual([]);
    await expect(assertHealed(cluster, "at start")).resolves.toBeUndefined();
    expect(state.fights).toEqual([]);
  });

  it("should leave what it cannot undo for assertHealed to name", async () => {
    const { cluster } = await broken(true);
    await healCluster(cluster);
    await expect(assertHealed(cluster, "before the final reads")).rejects.toMatchObject({
      code: "NOT_HEALED",
      message: expect.stringMatching(
        /not back to its healthy state before the final reads: link toxic blackhole/,
      ),
    });
  });
});

describe("healAtStart", () => {
  it("should record a verified initial heal", async () => {
    const { cluster } = await broken();
    const history = openHistoryWriter({ clock: manualClock() });
    await healAtStart(cluster, history);
    expect(history.ops.map((o) => `${o.type} ${o.f}`)).toEqual(["invoke initial-heal", "ok initial-heal"]);
    expect(history.ops[1]!.value).toEqual({ restarted: ["n3"], unskewed: ["s1"], verified: true });
  });
});

describe("runFinalPhase", () => {
  it("should stop with NOT_HEALED, the residue recorded, when a fault cannot be undone", async () => {
    const { cluster } = await broken(true);
    const history = openHistoryWriter({ clock: manualClock() });
    await expect(
      runFinalPhase({
        cluster,
        history,
        workload: setWorkload(),
        makeClient: () => noopClient(),
        reader: { clientName: "c1", process: 0 },
        concurrency: 1,
        recoveryTimeoutMs: 1000,
        signal: new AbortController().signal,
      }),
    ).rejects.toMatchObject({ code: "NOT_HEALED" });
    const heal = history.ops.at(-1)!;
    expect(heal).toMatchObject({ process: "nemesis", type: "info", f: "final-heal" });
    expect((heal.value as { residue: string[] }).residue).toEqual([
      "link toxic blackhole upstream n2->n1",
      "link toxic latency downstream s1->s2",
    ]);
  });
});
