/**
 * Pausing the leader (SIGSTOP) longer than Sentinel's down-after on the real cluster: the failover managers
 * promote a follower, and after the resume the old leader rejoins as a follower of the new one.
 */
import { describe, expect, it } from "vitest";
import { hasLeader } from "../../core/cluster/index.js";
import { eventually, replField, withNemesisBench, inspect } from "./support/nemesis-helpers.js";

describe("pause-leader", () => {
  it("should make the failover managers promote a follower when it lasts longer than down-after", async () => {
    await withNemesisBench(async ({ cluster, history, windows }) => {
      const old = (await cluster.leader())!;
      const d = windows([{ fault: "pause", target: "leader", params: {} }]);
      const start = await d.fire("start", "f1");
      expect(start.type).toBe("ok");
      expect(start.value).toMatchObject({ node: old, signal: "SIGSTOP" });
      expect(start.value.pid).toBe(cluster.pidOf(old));
      expect(inspect(cluster, old)?.state).toBe("stopped");

      // down-after is 1 s; a failover takes a few more (spec §3.1). Wait for it however long the machine needs.
      let promoted: string | undefined;
      await eventually("a new leader named by the failover managers", 30_000, async () => {
        promoted = await cluster.leader();
        return promoted !== undefined && promoted !== old;
      });
      expect(
        history.ops.some(
          (o) => o.f === "manager-event" && (o.value as { event: string }).event === "+switch-master",
        ),
      ).toBe(true);

      const stop = await d.fire("stop", "f1");
      expect(stop.value).toMatchObject({ node: old, signal: "SIGCONT" });
      expect(inspect(cluster, old)?.state).toBe("running");
      // The old leader is demoted and follows the new one; the cluster is whole again.
      await eventually(
        `${old} demoted`,
        30_000,
        async () => (await replField(cluster, old, "role")) === "slave",
      );
      if (hasLeader(cluster)) expect(await cluster.awaitHealthy(30_000)).toBe(promoted);
    });
  });
});
