/**
 * A refuse-mode cut on the real cluster: isolating a follower with `refuse` resets its connections, so its
 * replication link goes down at once (a blackhole keeps it "up" until repl-timeout, spec §1.6) and every
 * reconnection is reset too; the proxy holds refuse toxics; after the heal the follower reconnects and catches up.
 */
import { describe, expect, it } from "vitest";
import { FaultlineProxyClient } from "../../nemesis/proxy-client/index.js";
import {
  caughtUp,
  eventually,
  pingAs,
  replField,
  replOffset,
  withNemesisBench,
  writeLoad,
} from "./support/nemesis-helpers.js";

describe("isolate-node with cut refuse", () => {
  it("should reset the follower's links at once and let it resync after the heal", async () => {
    await withNemesisBench(async ({ cluster, windows }) => {
      const leader = (await cluster.leader())!;
      const follower = cluster.nodes.find((n) => n.role === "data" && n.name !== leader)!;
      const load = writeLoad(cluster, leader);
      const d = windows([
        {
          fault: "partition",
          target: follower.name as `n${number}`,
          params: { kind: "isolate-node", cut: "refuse" },
        },
      ]);
      const start = await d.fire("start", "f1");
      expect(start.value).toMatchObject({ kind: "isolate-node", node: follower.name, cut: "refuse" });
      const toxics = await new FaultlineProxyClient(cluster.network.apiUrl!).listLinkToxics();
      expect(toxics.length).toBeGreaterThan(0);
      expect(new Set(toxics.map((t) => t.type))).toEqual(new Set(["refuse"]));

      // Well under repl-timeout (5 s): the reset, not a timeout, takes the link down.
      await eventually(`${follower.name}'s link to ${leader} down`, 3_000, async () => {
        return (await replField(cluster, follower.name, "master_link_status")) === "down";
      });
      const leaderNode = cluster.nodes.find((n) => n.name === leader)!;
      expect(await pingAs(follower.sourceAddress, leaderNode.public.port, 1000)).toBe(false);

      await d.fire("stop", "f1");
      expect(await pingAs(follower.sourceAddress, leaderNode.public.port)).toBe(true);
      const target = await replOffset(cluster, leader);
      await eventually(`${follower.name} catching up`, 30_000, () =>
        caughtUp(cluster, follower.name, target),
      );
      await load.stop();
    });
  });
});
