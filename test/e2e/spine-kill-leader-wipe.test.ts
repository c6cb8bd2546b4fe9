import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  fullList,
  ensureBuilt,
  expectNothingLeft,
  historyOps,
  readJson,
  runDirOf,
  flags,
  runFaultline,
  tempStore,
} from "./support/spine-helpers.js";

beforeAll(() => ensureBuilt(), 120_000);

describe("faultline run --nemesis kill-leader --persistence none", () => {
  it("should report the writes wiped when the empty leader restarts before the failover managers notice", async () => {
    const store = tempStore("wipe");
    const r = await runFaultline([
      // Back well before down-after: no failover, the leader comes back empty (spec §1.7). down-after is raised
      // to 3 s so that a loaded machine's slow restart still beats it.
      ...flags("run --nemesis kill-leader --persistence none --restart-delay 200ms --down-after 3s"),
      ...flags("--nemesis-interval 3s --time-limit 8s --seed 13"),
      "--store-dir",
      store,
    ]);
    const dir = runDirOf(store);
    expect(r.code, r.stderr).toBe(1);
    const set = readJson(join(dir, "results.json")).results.set;
    expect(set.lostCount).toBeGreaterThan(0);

    const ops = historyOps(dir);
    const kills = ops.filter(
      (o) => o.process === "nemesis" && o.f === "start-kill-leader" && o.type === "ok",
    );
    expect(kills.length).toBeGreaterThan(0);
    // No failover: every kill hit n1, and the failover managers never named anyone else.
    for (const k of kills) expect(k.value.node).toBe("n1");
    const leaders = ops.filter((o) => o.process === "monitor" && o.f === "leader").map((o) => o.value);
    expect(leaders.filter((l) => l !== null && l !== "n1")).toEqual([]);
    // What was lost had been acknowledged before a kill: the whole dataset up to the first restart went.
    const firstKill = kills[0]!.time as number;
    const lostBeforeFirstKill = fullList<{ ackedTime: number }>(dir, "set", "lost").filter(
      (l) => l.ackedTime < firstKill,
    );
    expect(lostBeforeFirstKill.length).toBeGreaterThan(0);
    const ackedBeforeFirstKill = ops.filter(
      (o) => typeof o.process === "number" && o.f === "add" && o.type === "ok" && o.time < firstKill,
    );
    expect(lostBeforeFirstKill.length).toBe(ackedBeforeFirstKill.length);

    await expectNothingLeft(dir);
  });
});
