/**
 * The local backend's cluster with counts other than the default (3 followers, 5 Sentinels), started through the
 * library: when start returns it is really ready, every address anyone learns is a proxy port, no node talks to
 * another around the proxy, every process is tagged with the run id, and stop leaves nothing.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runTagForThisProcess } from "../../core/backends/local/index.js";
import {
  parseReplication,
  redisSentinelCluster,
  sentinelRecords,
  healthyFlags,
} from "../../stores/redis-sentinel/index.js";
import { expectNothingOfRun } from "./support/nemesis-helpers.js";
import { listeningPorts, processesOfRun } from "./support/spine-helpers.js";

describe("a cluster of 1 leader, 3 followers and 5 Sentinels on the local backend", () => {
  it("should be really ready when start returns, keep every link on the proxy, and leave nothing after stop", async () => {
    const dir = mkdtempSync(join(tmpdir(), "faultline-e2e-cluster-"));
    const runId = `e2e-cluster/${process.pid}/${Date.now()}`;
    const cluster = await redisSentinelCluster({
      runDir: dir,
      tag: runTagForThisProcess(runId, dir),
      store: {
        kind: "redis-sentinel",
        followers: 3,
        failoverManagers: 5,
        quorum: 3,
        minReplicasToWrite: 0,
        minReplicasMaxLag: 10,
        persistence: "aof-everysec",
        downAfter: 1000,
        failoverTimeout: 3000,
      },
      clients: ["c1", "c2"],
      network: "proxy",
    }).start();
    const ports: number[] = [];
    try {
      const data = cluster.nodes.filter((n) => n.role === "data").map((n) => n.name);
      const sentinels = cluster.nodes.filter((n) => n.role === "failover-manager").map((n) => n.name);
      expect(data).toEqual(["n1", "n2", "n3", "n4"]);
      expect(sentinels).toEqual(["s1", "s2", "s3", "s4", "s5"]);
      const publicOf = new Map(cluster.nodes.map((n) => [n.name, `${n.public.host}:${n.public.port}`]));
      // Each node its own source address and its own ports; each client its own listener per node.
      expect(new Set(cluster.nodes.map((n) => n.sourceAddress)).size).toBe(9);
      for (const n of cluster.nodes) ports.push(n.admin.port, n.public.port);
      for (const c of cluster.clients) for (const e of c.endpoints.values()) ports.push(e.port);
      expect(new Set(ports).size).toBe(ports.length);
      expect(cluster.clients.map((c) => [...c.endpoints.keys()].sort())).toEqual([
        [...data, ...sentinels].sort(),
        [...data, ...sentinels].sort(),
      ]);

      // Ready, asked right away: the leader lists its 3 followers online at their public ports, and every
      // Sentinel sees the leader, the 3 followers and its 4 peers, all healthy, all by public address.
      expect(await cluster.leader()).toBe("n1");
      const repl = parseReplication(String(await cluster.admin.command("n1", "INFO", "replication")));
      expect(repl.role).toBe("master");
      expect(
        repl.replicas
          .filter((r) => r.state === "online")
          .map((r) => `${r.ip}:${r.port}`)
          .sort(),
      ).toEqual(["n2", "n3", "n4"].map((n) => publicOf.get(n)).sort());
      for (const s of sentinels) {
        const master = await cluster.admin.command(s, "SENTINEL", "get-master-addr-by-name", "faultline");
        expect((master as string[]).join(":"), s).toBe(publicOf.get("n1"));
        const replicas = sentinelRecords(await cluster.admin.command(s, "SENTINEL", "replicas", "faultline"));
        expect(
          replicas
            .filter((r) => healthyFlags(r.flags))
            .map((r) => `${r.ip}:${r.port}`)
            .sort(),
          s,
        ).toEqual(["n2", "n3", "n4"].map((n) => publicOf.get(n)).sort());
        const peers = sentinelRecords(await cluster.admin.command(s, "SENTINEL", "sentinels", "faultline"));
        expect(
          peers
            .filter((p) => healthyFlags(p.flags))
            .map((p) => `${p.ip}:${p.port}`)
            .sort(),
          s,
        ).toEqual(
          sentinels
            .filter((x) => x !== s)
            .map((x) => publicOf.get(x))
            .sort(),
        );
      }

      // Every connection a node accepts comes from the proxy (or the harness), never straight from another
      // node's own source address: follower→leader, Sentinel→node and Sentinel→Sentinel all pass the proxy.
      const sources = new Set(cluster.nodes.map((n) => n.sourceAddress));
      for (const n of cluster.nodes) {
        const list = String(await cluster.admin.command(n.name, "CLIENT", "LIST"));
        const hosts = [...list.matchAll(/\baddr=([^ ]+):\d+ /g)].map((m) => m[1]!);
        expect(hosts.length, n.name).toBeGreaterThan(0);
        // The leader's 3 replication links (flag S) are among them.
        if (n.name === "n1") expect([...list.matchAll(/\bflags=\w*S/g)]).toHaveLength(3);
        expect(
          hosts.filter((h) => sources.has(h)),
          n.name,
        ).toEqual([]);
      }

      // Every process is tagged with the run id: 4 data nodes, 5 Sentinels, the proxy and the harness watchdog
      // (which kills the others if the harness dies).
      expect(processesOfRun(runId)).toHaveLength(11);
    } finally {
      await cluster.stop();
    }
    await expectNothingOfRun(runId);
    const listening = listeningPorts();
    expect(ports.filter((p) => listening.has(p))).toEqual([]);
    rmSync(dir, { recursive: true, force: true });
  });
});
