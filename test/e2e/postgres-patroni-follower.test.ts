import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  ensureBuilt,
  expectNothingLeft,
  flags,
  historyOps,
  readJson,
  runDirOf,
  runFaultline,
  tempStore,
} from "./support/spine-helpers.js";

beforeAll(() => ensureBuilt(), 300_000);

describe("faultline run --store postgres-patroni --nemesis kill-follower", () => {
  it("should record the killed standby catching up after its restart: its replay LSN reaches the primary's", async () => {
    const store = tempStore("pg-follower");
    const r = await runFaultline(
      [
        ...flags(
          "run --store postgres-patroni --workload set --nemesis kill-follower --time-limit 30s --seed 11",
        ),
        "--store-dir",
        store,
      ],
      { timeoutMs: 300_000 },
    );
    const dir = runDirOf(store);
    // Killing a standby loses nothing under asynchronous replication: the primary never waited for it.
    expect(r.code, r.stderr).toBe(0);
    expect(readJson(join(dir, "results.json")).results.set.lostCount).toBe(0);
    const ops = historyOps(dir);
    const kill = ops.find((o) => o.process === "nemesis" && o.type === "ok" && /^start-kill/.test(o.f));
    const restart = ops.find(
      (o) =>
        o.process === "nemesis" && o.type === "ok" && /^stop-kill/.test(o.f) && o.index > (kill?.index ?? 0),
    );
    expect(kill, "a standby was killed").toBeDefined();
    expect(restart, "and restarted").toBeDefined();
    const victim = JSON.stringify(kill!.value).match(/"n\d"/)![0].slice(1, -1);
    const positions = ops.filter((o) => o.process === "monitor" && o.f === "replication-positions");
    // While it was down the monitor had no position for it; after the restart its replay position caught up
    // with the primary's (no lag) while it streamed again.
    const after = positions.filter((o) => o.index > restart!.index);
    const caughtUp = after.find(
      (o) => o.value.followers?.[victim]?.lagBytes === 0 && o.value.followers[victim].link === "streaming",
    );
    expect(caughtUp, `${victim} caught up after its restart`).toBeDefined();
    const lagged = positions.some(
      (o) => (o.value.followers?.[victim]?.lagBytes ?? 0) > 0 || !o.value.followers?.[victim],
    );
    expect(lagged, `${victim} was behind (or absent) at some point`).toBe(true);
    await expectNothingLeft(dir);
  }, 360_000);
});
