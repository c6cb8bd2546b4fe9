/**
 * Kill and restart of a Sentinel and of a follower on the real cluster: each is gone while the fault is on
 * (its pid dead, it does not answer), and after the restart it is back in the cluster: the Sentinel sees every
 * follower and peer again, the follower's offset reaches the leader's.
 */
import { describe, expect, it } from "vitest";
import { sleep } from "../../core/clock/index.js";
import { probeHealth } from "../../stores/redis-sentinel/index.js";
import { eventually, replOffset, withNemesisBench, writeLoad } from "./support/nemesis-helpers.js";

/** Whether a pid is gone. */
function dead(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
}

describe("kill and restart", () => {
  it("should kill a Sentinel and a follower, and bring both back into the cluster", async () => {
    await withNemesisBench(async ({ cluster, windows }) => {
      const leader = (await cluster.leader())!;
      const load = writeLoad(cluster, leader);
      const d = windows([
        { fault: "kill", target: "random-manager", params: {} },
        { fault: "kill", target: "random-follower", params: {} },
      ]);
      const manager = await d.fire("start", "f1");
      const follower = await d.fire("start", "f2");
      for (const k of [manager, follower]) {
        expect(k.type).toBe("ok");
        expect(k.value.signal).toBe("SIGKILL");
        expect(dead(k.value.pid)).toBe(true);
        expect(cluster.isRunning(k.value.node)).toBe(false);
        await expect(cluster.admin.command(k.value.node, "PING")).rejects.toThrow();
      }
      expect(manager.value.node).toMatch(/^s\d$/);
      expect(follower.value.node).toMatch(/^n\d$/);
      expect(follower.value.node).not.toBe(leader);
      await sleep(1500);

      const back = [await d.fire("stop", "f1"), await d.fire("stop", "f2")];
      for (const [i, b] of back.entries()) {
        const k = [manager, follower][i]!;
        expect(b.value).toMatchObject({ node: k.value.node, restarted: true });
        expect(b.value.pid).not.toBe(k.value.pid);
        expect(b.value.pid).toBe(cluster.pidOf(k.value.node));
      }
      const target = await replOffset(cluster, leader);
      await eventually(
        `${follower.value.node} resynced`,
        30_000,
        async () => (await replOffset(cluster, follower.value.node)) >= target,
      );
      await load.stop();
      // The restarted Sentinel knows every follower and peer again, and agrees on the leader.
      await eventually("every Sentinel seeing the whole cluster", 30_000, async () => {
        const h = await probeHealth(
          cluster.admin,
          {
            masterName: cluster.masterName,
            dataNodes: cluster.nodes.filter((n) => n.role === "data").map((n) => n.name),
            sentinels: cluster.nodes.filter((n) => n.role === "failover-manager").map((n) => n.name),
            nodeByPublic: (h, p) => cluster.nodeByPublic(h, p),
          },
          { sentinelsSeeEverything: true },
        );
        return h.ok;
      });
    });
  });
});
