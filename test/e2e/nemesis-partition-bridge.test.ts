/**
 * A bridge partition on the real cluster: the servers split in two halves that cannot reach each other, and the
 * bridge server keeps talking to both. Checked on the wire: a PING sent through the proxy as a given server
 * (from its source address) is answered only where the grudge allows it.
 */
import { describe, expect, it } from "vitest";
import { pingAs, withNemesisBench } from "./support/nemesis-helpers.js";

describe("partition-bridge", () => {
  it("should cut the two halves apart and keep the bridge talking to both sides", async () => {
    await withNemesisBench(async ({ cluster, windows }) => {
      const d = windows(
        [{ fault: "partition", target: "all", params: { kind: "partition-bridge", cut: "blackhole" } }],
        7,
      );
      const start = await d.fire("start", "f1");
      expect(start.type).toBe("ok");
      const bridge: string = start.value.bridge;
      const servers = cluster.nodes.map((n) => n.name);
      const [a, b] = (start.value.components as string[][]).map((side) =>
        side.filter((n) => servers.includes(n)),
      );
      expect([...a!, ...b!, bridge].sort()).toEqual([...servers].sort());
      expect(a!.length).toBeGreaterThan(0);
      expect(b!.length).toBeGreaterThan(0);

      const node = (name: string) => cluster.nodes.find((n) => n.name === name)!;
      const ping = (from: string, to: string) => pingAs(node(from).sourceAddress, node(to).public.port);
      // The bridge reaches every server of both sides, and both sides reach it.
      for (const other of [...a!, ...b!]) {
        expect(await ping(bridge, other), `${bridge} -> ${other}`).toBe(true);
        expect(await ping(other, bridge), `${other} -> ${bridge}`).toBe(true);
      }
      // Across the halves nothing gets through, in either direction; within a half everything does.
      expect(await ping(a![0]!, b![0]!), `${a![0]} -> ${b![0]}`).toBe(false);
      expect(await ping(b![0]!, a![0]!), `${b![0]} -> ${a![0]}`).toBe(false);
      const pairWithin = [a!, b!].find((side) => side.length >= 2);
      if (pairWithin) expect(await ping(pairWithin[0]!, pairWithin[1]!)).toBe(true);

      await d.fire("stop", "f1");
      expect(await ping(a![0]!, b![0]!), `${a![0]} -> ${b![0]} after the heal`).toBe(true);
    });
  });
});
