/**
 * The partition shapes and link toxics the other nemesis tests do not show, on the real cluster: a one-way cut
 * (A's bytes never reach B, B's still reach A), random halves, the majorities ring, a reset on the Sentinels'
 * gossip links (they mark each other down) and limit-data on the replication links (closed after every 2,000
 * bytes, the followers reconnect over and over).
 * Partitions are checked on the wire, through the proxy as a given server (its source address), only for
 * connections Redis + Sentinel can open (`canInitiate`): the cuts of the others are pruned.
 */
import { connect, type Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { sleep } from "../../core/clock/index.js";
import { parseInfo } from "../../stores/redis-sentinel/index.js";
import { canInitiate, type Topology } from "../../nemesis/grudge/index.js";
import {
  caughtUp,
  eventually,
  pingAs,
  replOffset,
  withNemesisBench,
  writeLoad,
  type NemesisBench,
} from "./support/nemesis-helpers.js";

type Cluster = NemesisBench["cluster"];

/** The cluster's names as a grudge sees them. */
function topologyOf(cluster: Cluster): Topology {
  const named = (role: string) => cluster.nodes.filter((n) => n.role === role).map((n) => n.name);
  return { nodes: named("data"), managers: named("failover-manager"), clients: ["c1", "c2"] };
}

/** PING `to` through the proxy as `from`; a cut answers false within `timeoutMs`. */
function ping(cluster: Cluster, from: string, to: string, timeoutMs = 1000): Promise<boolean> {
  const node = (name: string) => cluster.nodes.find((n) => n.name === name)!;
  return pingAs(node(from).sourceAddress, node(to).public.port, timeoutMs);
}

/** Opens a connection to `to` as `from` and sends `CLIENT SETNAME name`, without waiting for an answer. */
function nameConnectionAs(cluster: Cluster, from: string, to: string, name: string): Socket {
  const node = (n: string) => cluster.nodes.find((x) => x.name === n)!;
  const sock = connect({
    host: "127.0.0.1",
    port: node(to).public.port,
    localAddress: node(from).sourceAddress,
  });
  sock.on("connect", () => sock.write(`CLIENT SETNAME ${name}\r\n`));
  sock.on("error", () => undefined);
  return sock;
}

/** Whether `node` has a client connection named `name` (asked directly, not through the proxy). */
async function hasClientNamed(cluster: Cluster, node: string, name: string): Promise<boolean> {
  return String(await cluster.admin.command(node, "CLIENT", "LIST")).includes(` name=${name} `);
}

describe("partition-one-way", () => {
  it("should stop n2's bytes to n3 and let n3's bytes reach n2", async () => {
    await withNemesisBench(async ({ cluster, windows }) => {
      const d = windows([
        { fault: "partition", target: "n2", params: { kind: "one-way", cut: "blackhole", to: "n3" } },
      ]);
      const start = await d.fire("start", "f1");
      expect(start.type).toBe("ok");
      expect(start.value).toMatchObject({ kind: "one-way", from: ["n2"], to: ["n3"], cut: "blackhole" });

      // n3 → n2: the command arrives (n2 names the connection), though n2's answer cannot get back.
      const forward = nameConnectionAs(cluster, "n3", "n2", "probe-n3-to-n2");
      // n2 → n3: the command is held in the proxy and never arrives.
      const backward = nameConnectionAs(cluster, "n2", "n3", "probe-n2-to-n3");
      try {
        await eventually("n3's command arriving at n2", 5_000, () =>
          hasClientNamed(cluster, "n2", "probe-n3-to-n2"),
        );
        await sleep(1500);
        expect(await hasClientNamed(cluster, "n3", "probe-n2-to-n3")).toBe(false);
        expect(await ping(cluster, "n2", "n3")).toBe(false);
      } finally {
        forward.destroy();
        backward.destroy();
      }

      await d.fire("stop", "f1");
      expect(await ping(cluster, "n2", "n3")).toBe(true);
      expect(await ping(cluster, "n3", "n2")).toBe(true);
    });
  });
});

describe("partition-halves", () => {
  it("should split the servers into two halves that cannot reach each other, each whole inside", async () => {
    await withNemesisBench(async ({ cluster, windows }) => {
      const topology = topologyOf(cluster);
      const servers = cluster.nodes.map((n) => n.name);
      const d = windows(
        [{ fault: "partition", target: "all", params: { kind: "partition-halves", cut: "blackhole" } }],
        3,
      );
      const start = await d.fire("start", "f1");
      expect(start.type).toBe("ok");
      const [a, b] = (start.value.components as string[][]).map((side) =>
        side.filter((n) => servers.includes(n)),
      );
      expect([...a!, ...b!].sort()).toEqual([...servers].sort());
      expect(Math.abs(a!.length - b!.length)).toBeLessThanOrEqual(1);

      let across = 0;
      for (const [x, y] of a!.flatMap((x) => b!.flatMap((y) => [[x, y] as const, [y, x] as const]))) {
        if (!canInitiate(topology, x, y)) continue;
        expect(await ping(cluster, x, y), `${x} -> ${y}`).toBe(false);
        across++;
      }
      expect(across).toBeGreaterThan(0);
      for (const side of [a!, b!]) {
        for (const x of side)
          for (const y of side)
            if (canInitiate(topology, x, y)) expect(await ping(cluster, x, y), `${x} -> ${y}`).toBe(true);
      }

      await d.fire("stop", "f1");
      for (const x of a!)
        for (const y of b!)
          if (canInitiate(topology, x, y))
            expect(await ping(cluster, x, y), `${x} -> ${y} healed`).toBe(true);
    });
  });
});

describe("partition-majorities-ring", () => {
  it("should let each server reach exactly the majority it sees", async () => {
    await withNemesisBench(async ({ cluster, windows }) => {
      const topology = topologyOf(cluster);
      const servers = cluster.nodes.map((n) => n.name);
      const d = windows(
        [
          {
            fault: "partition",
            target: "all",
            params: { kind: "partition-majorities-ring", cut: "blackhole" },
          },
        ],
        5,
      );
      const start = await d.fire("start", "f1");
      expect(start.type).toBe("ok");
      const views = start.value.views as { member: string; sees: string[] }[];
      expect(views.map((v) => v.member).sort()).toEqual([...servers].sort());
      let cut = 0;
      for (const { member, sees } of views) {
        expect(sees.length * 2).toBeGreaterThan(servers.length);
        for (const other of servers) {
          if (other === member || !canInitiate(topology, member, other)) continue;
          const seen = sees.includes(other);
          expect(await ping(cluster, member, other), `${member} -> ${other}`).toBe(seen);
          if (!seen) cut++;
        }
      }
      expect(cut).toBeGreaterThan(0);
      await d.fire("stop", "f1");
      for (const { member, sees } of views)
        for (const other of servers.filter((s) => !sees.includes(s) && canInitiate(topology, member, s)))
          expect(await ping(cluster, member, other), `${member} -> ${other} healed`).toBe(true);
    });
  });
});

describe("link faults", () => {
  it("should make the Sentinels mark each other down under a reset of their gossip links, and recover", async () => {
    await withNemesisBench(async ({ cluster, windows }) => {
      const managers = cluster.nodes.filter((n) => n.role === "failover-manager").map((n) => n.name);
      /** The peers `s` flags subjectively down. */
      const peersDown = async (s: string): Promise<number> => {
        const peers = (await cluster.admin.command(
          s,
          "SENTINEL",
          "SENTINELS",
          cluster.masterName,
        )) as string[][];
        return peers.filter((p) => (p[p.indexOf("flags") + 1] ?? "").includes("s_down")).length;
      };
      const d = windows([
        { fault: "link", target: "manager-gossip", params: { toxic: "reset", timeout: 0, stream: "both" } },
      ]);
      const start = await d.fire("start", "f1");
      expect(start.value).toMatchObject({ toxic: "reset_peer", attributes: { timeout: 0 } });
      expect(start.value.links).toContain(`${managers[0]}->${managers[1]}`);
      expect(await ping(cluster, managers[0]!, managers[1]!)).toBe(false);
      // Only the gossip links: a Sentinel still reaches the data nodes.
      expect(await ping(cluster, managers[0]!, "n1")).toBe(true);
      // down-after is 1 s: every Sentinel soon flags both of its peers down.
      await eventually("every Sentinel flagging its peers s_down", 15_000, async () => {
        for (const s of managers) if ((await peersDown(s)) < managers.length - 1) return false;
        return true;
      });

      await d.fire("stop", "f1");
      expect(await ping(cluster, managers[0]!, managers[1]!)).toBe(true);
      await eventually("no Sentinel flagging a peer down", 20_000, async () => {
        for (const s of managers) if ((await peersDown(s)) > 0) return false;
        return true;
      });
    });
  });

  it("should cut the replication links after every 2,000 bytes with limit-data, and let them settle after", async () => {
    await withNemesisBench(async ({ cluster, windows }) => {
      const leader = (await cluster.leader())!;
      const followers = cluster.nodes
        .filter((n) => n.role === "data" && n.name !== leader)
        .map((n) => n.name);
      /** How many partial resyncs the leader has served: one per reconnection of a follower. */
      const partialSyncs = async (): Promise<number> => {
        const info = parseInfo(String(await cluster.admin.command(leader, "INFO", "stats")));
        return Number(info.get("sync_partial_ok") ?? NaN);
      };
      const load = writeLoad(cluster, leader);
      await sleep(500);
      const d = windows([
        {
          fault: "link",
          target: "replication",
          params: { toxic: "limit-data", bytes: 2000, stream: "downstream" },
        },
      ]);
      const before = await partialSyncs();
      const start = await d.fire("start", "f1");
      expect(start.value).toMatchObject({ toxic: "limit_data", attributes: { bytes: 2000 } });
      expect([...start.value.links].sort()).toEqual(followers.map((f) => `${f}->${leader}`).sort());
      // The leader's stream grows by kilobytes a second: each replication connection is closed after 2,000 of
      // its bytes, the follower reconnects at once and resumes (a partial resync), and is closed again.
      await sleep(3000);
      const during = (await partialSyncs()) - before;
      expect(during).toBeGreaterThanOrEqual(5 * followers.length);

      await d.fire("stop", "f1");
      const target = await replOffset(cluster, leader);
      for (const f of followers) {
        await eventually(`${f} catching up to ${target}`, 30_000, () => caughtUp(cluster, f, target));
      }
      // Healed: the links stay up while the leader keeps writing.
      const settled = await partialSyncs();
      await sleep(2000);
      expect(await partialSyncs()).toBe(settled);
      await load.stop();
      console.log(`limit-data: ${during} partial resyncs in 3 s of the fault, none in 2 s after it`);
    });
  });
});
