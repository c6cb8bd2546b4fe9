/**
 * Clock faults on the real cluster, through the clock shim: a Sentinel whose wall clock jumps enters TILT (its
 * `+tilt` event is in the history), and a data node restarted with a clock offset tells time that far off; both
 * run without the shim again after the stop.
 */
import { describe, expect, it } from "vitest";
import {
  clockSkewMs,
  eventually,
  inspect,
  sentinelEventSeen,
  withNemesisBench,
} from "./support/nemesis-helpers.js";

describe("clock faults", () => {
  it("should put a Sentinel into TILT with a jump, recorded in the history, and restore its clock", async () => {
    await withNemesisBench(async ({ cluster, history, windows }) => {
      const d = windows([{ fault: "clock", target: "s2", params: { mode: "jump", offset: 30_000 } }]);
      const oldPid = cluster.pidOf("s2");
      const start = await d.fire("start", "f1");
      expect(start.type).toBe("ok");
      expect(start.value).toMatchObject({ node: "s2", mode: "jump", offsetMs: 30_000 });
      expect(start.value.pid).not.toBe(oldPid);
      expect(start.value.pid).toBe(cluster.pidOf("s2"));
      expect(inspect(cluster, "s2")?.preload).toEqual([start.value.shim]);
      const jumpedAt = history.ops.findLast((o) => o.f === "start-clock-s2")!.time;

      // Sentinel checks its timer every 100 ms; a 30 s jump is far past its 2 s TILT threshold (spec §2.4).
      await eventually("+tilt from s2 in the history", 10_000, () =>
        Promise.resolve(sentinelEventSeen(history, "s2", "+tilt")),
      );
      const tilt = history.ops.find(
        (o) => o.f === "manager-event" && (o.value as { event: string }).event === "+tilt",
      )!;
      expect(tilt.time).toBeGreaterThan(
        history.ops.findLast((o) => o.f === "start-clock-s2" && o.type === "invoke")!.time,
      );
      expect(jumpedAt).toBeGreaterThan(0);
      const info = String(await cluster.admin.command("s2", "INFO", "sentinel"));
      expect(info).toMatch(/sentinel_tilt:1/);

      const stop = await d.fire("stop", "f1");
      expect(stop.value).toMatchObject({ node: "s2", restored: true });
      expect(inspect(cluster, "s2")?.preload).toEqual([]);
      expect(String(await cluster.admin.command("s2", "INFO", "sentinel"))).toMatch(/sentinel_tilt:0/);
    });
  });

  it("should run a follower at a clock offset and give it back real time", async () => {
    await withNemesisBench(async ({ cluster, windows }) => {
      const d = windows([
        { fault: "clock", target: "random-follower", params: { mode: "offset", offset: -3_600_000 } },
      ]);
      const start = await d.fire("start", "f1");
      expect(start.type).toBe("ok");
      const node: string = start.value.node;
      expect(node).not.toBe(await cluster.leader());
      expect(Math.abs((await clockSkewMs(cluster, node)) + 3_600_000)).toBeLessThan(5_000);
      await d.fire("stop", "f1");
      expect(Math.abs(await clockSkewMs(cluster, node))).toBeLessThan(5_000);
      // The follower is back in sync with the leader.
      expect(await cluster.awaitHealthy(30_000)).toBeDefined();
    });
  });
});
