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
      // Across the halves nothing gets through, in either direction, on every server-to-server link the nemesis
      // cut (only links Redis opens have rules: a data node never dials a Sentinel); within a half everything does.
      const side = (n: string): number => (a!.includes(n) ? 0 : b!.includes(n) ? 1 : -1);
      const across = (start.value.links as string[])
        .map((l) => l.split("->") as [string, string])
        .filter(([from, to]) => side(from) >= 0 && side(to) >= 0 && side(from) !== side(to));
      expect(across.length).toBeGreaterThan(0);
      expect(across.some(([from]) => side(from) === 0)).toBe(true);
      expect(across.some(([from]) => side(from) === 1)).toBe(true);
      const cut = await Promise.all(across.map(([from, to]) => ping(from, to)));
      expect(across.filter((_, i) => cut[i]).map(([f, t]) => `${f} -> ${t}`)).toEqual([]);
      const pairWithin = [a!, b!].find((s) => s.length >= 2);
      if (pairWithin) expect(await ping(pairWithin[0]!, pairWithin[1]!)).toBe(true);

      await d.fire("stop", "f1");
      for (const [from, to] of across)
        expect(await ping(from, to), `${from} -> ${to} after the heal`).toBe(true);
    });
  });
});
