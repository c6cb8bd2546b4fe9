import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  fullList,
  ensureBuilt,
  expectNothingLeft,
  flags,
  historyOps,
  readJson,
  runDirOf,
  runFaultline,
  tempStore,
} from "./support/spine-helpers.js";

beforeAll(() => ensureBuilt(), 120_000);

const PARTITION =
  "run --nemesis partition-leader --time-limit 12s --nemesis-interval 2s --partition-duration 8s --seed 21";

/** Runs one partition-leader campaign and returns its run directory, results and history. */
async function campaign(label: string, extra: string) {
  const store = tempStore(label);
  const r = await runFaultline([...flags(`${PARTITION} ${extra}`), "--store-dir", store]);
  const dir = runDirOf(store);
  return { r, dir, set: readJson(join(dir, "results.json")).results.set, ops: historyOps(dir) };
}

describe("faultline run --min-replicas-to-write 1 --min-replicas-max-lag 1", () => {
  it("should record the isolated leader's refusals as fail and bound the loss window to a few seconds", async () => {
    const without = await campaign("minrep-off", "");
    expect(without.r.code, without.r.stderr).toBe(1);
    await expectNothingLeft(without.dir);

    const bounded = await campaign("minrep-on", "--min-replicas-to-write 1 --min-replicas-max-lag 1");
    await expectNothingLeft(bounded.dir);
    expect([0, 1], bounded.r.stderr).toContain(bounded.r.code);

    // The isolated leader refused writes with NOREPLICAS while it was cut off, recorded as definite failures. (A
    // leader promoted meanwhile may refuse too, until a follower has caught up with it: min-replicas applies to
    // every leader, so only refusals during a partition are the isolated leader's.)
    const refusals = bounded.ops.filter(
      (o) => typeof o.process === "number" && o.type === "fail" && String(o.error).startsWith("NOREPLICAS"),
    );
    expect(refusals.length).toBeGreaterThan(0);
    const windows = bounded.ops
      .filter((o) => o.process === "nemesis" && o.f === "start-partition-leader" && o.type === "ok")
      .map((o) => ({
        leader: o.value.leader as string,
        from: o.time as number,
        to:
          (bounded.ops.find(
            (e) =>
              e.process === "nemesis" &&
              e.f === "stop-partition-leader" &&
              e.type === "ok" &&
              e.time > o.time,
          )?.time as number | undefined) ?? Infinity,
      }));
    const during = refusals.filter((o) => windows.some((w) => o.time >= w.from && o.time <= w.to));
    expect(during.length).toBeGreaterThan(0);
    for (const o of during) {
      expect(o.node).toBe(windows.find((w) => o.time >= w.from && o.time <= w.to)!.leader);
    }

    // Loss window: from the start of the partition to the last lost acknowledged write.
    const starts = bounded.ops
      .filter((o) => o.process === "nemesis" && o.f === "start-partition-leader" && o.type === "invoke")
      .map((o) => o.time as number);
    const windowsMs = fullList<{ ackedTime: number }>(bounded.dir, "set", "lost").map((l) => {
      const start = starts.filter((s) => s <= l.ackedTime).at(-1) ?? starts[0]!;
      return (l.ackedTime - start) / 1e6;
    });
    const widest = Math.max(0, ...windowsMs);
    expect(widest).toBeLessThan(3500);

    // Far fewer lost writes than the same campaign without min-replicas (there the window is the whole 8 s
    // partition plus the old leader's demotion).
    expect(without.set.lostCount).toBeGreaterThan(0);
    expect(bounded.set.lostCount * 2.5).toBeLessThan(without.set.lostCount);
    console.log(
      `lost without min-replicas: ${without.set.lostCount}; with: ${bounded.set.lostCount} ` +
        `(widest loss window ${widest.toFixed(0)} ms, ${refusals.length} NOREPLICAS refusals)`,
    );
  });
});
