/**
 * Isolating a follower on the real cluster: its replication stops while the leader keeps writing, and once the
 * partition heals it catches up (its offset reaches the leader's) — the seed's "follower failure" promise.
 */
import { describe, expect, it } from "vitest";
import { sleep } from "../../core/clock/index.js";
import { eventually, replField, replOffset, withNemesisBench, writeLoad } from "./support/nemesis-helpers.js";

describe("isolate-node on a follower", () => {
  it("should stop the follower's replication and let it catch up to the leader after the heal", async () => {
    await withNemesisBench(async ({ cluster, windows }) => {
      const leader = (await cluster.leader())!;
      const follower = cluster.nodes.find((n) => n.role === "data" && n.name !== leader)!.name;
      const load = writeLoad(cluster, leader);
      const d = windows([
        {
          fault: "partition",
          target: follower as `n${number}`,
          params: { kind: "isolate-node", cut: "blackhole" },
        },
      ]);
      await sleep(500);
      const start = await d.fire("start", "f1");
      expect(start.type).toBe("ok");
      expect(start.value).toMatchObject({ kind: "isolate-node", node: follower, cut: "blackhole" });
      // Every link of the follower is cut, its replication link to the leader included.
      expect(start.value.links).toContain(`${follower}->${leader}`);
      expect(start.value.links).toContain(`s1->${follower}`);

      // While isolated: the leader's stream grows by many writes, the follower's offset does not move.
      await sleep(300);
      const frozen = await replOffset(cluster, follower);
      const leaderBefore = await replOffset(cluster, leader);
      await sleep(2500);
      const leaderDuring = await replOffset(cluster, leader);
      expect(leaderDuring - leaderBefore).toBeGreaterThan(10_000);
      expect(await replOffset(cluster, follower)).toBe(frozen);

      const stop = await d.fire("stop", "f1");
      expect(stop.type).toBe("ok");
      const target = await replOffset(cluster, leader);
      // After the heal the held bytes flow again (or the follower resyncs): it reaches the leader's offset of the
      // moment of the heal, and its link is up.
      await eventually(`${follower} catching up to offset ${target}`, 20_000, async () => {
        return (await replOffset(cluster, follower)) >= target;
      });
      expect(await replField(cluster, follower, "master_link_status")).toBe("up");
      await load.stop();
    });
  });
});
