import { describe, expect, it } from "vitest";
import { resolveRunConfig } from "../../harness/config/index.js";
import type { LinkRule } from "../../core/cluster/index.js";
import { sleep } from "../../core/clock/index.js";
import { DEFAULT_STORE, storeKinds, type StoreClusterRequest } from "../../stores/index.js";
import {
  simulatedStore,
  startSimulatedStore,
  type SimulatedSettings,
  type StartedSimulatedStore,
} from "../../stores/simulated/index.js";
import { setWorkload } from "../../workloads/index.js";

const freshSeed = (): number => 1;

function request(settings: Partial<SimulatedSettings> = {}): StoreClusterRequest<SimulatedSettings> {
  return {
    runDir: "/nonexistent",
    tag: { runId: "t", harnessPid: process.pid, harnessStart: "", runDir: "/nonexistent" },
    settings: { ...simulatedStore.settings.parse({ kind: "simulated" }), ...settings } as SimulatedSettings,
    replication: "async",
    clients: ["c1", "c2"],
    network: "proxy",
    backend: "local",
    docker: { images: "official" },
    keepProxyAfterHarness: false,
    say: () => undefined,
  };
}

/** Every stream between `a` and `b`, both ways: a symmetric cut. */
function between(a: string, bs: readonly string[]): LinkRule[] {
  return bs.flatMap((b) =>
    [
      [a, b],
      [b, a],
    ].flatMap(([s, d]) => [
      { source: s!, destination: d!, stream: "upstream" as const },
      { source: s!, destination: d!, stream: "downstream" as const },
    ]),
  );
}

async function waitFor(probe: () => boolean | Promise<boolean>, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await sleep(10);
  }
}

describe("simulatedStore", () => {
  it("should be registered after redis-sentinel, which stays the default, and say it is not a real store", () => {
    expect(storeKinds()).toEqual(["redis-sentinel", "postgres-patroni", "simulated"]);
    expect(DEFAULT_STORE).toBe("redis-sentinel");
    expect(simulatedStore.description).toMatch(/for testing faultline itself/);
    expect(simulatedStore.description).toMatch(/not a real store/);
  });

  it("should refuse the docker backend and any replication mode but async and sync, naming the field", () => {
    const resolve = (data: Record<string, unknown>) => () =>
      resolveRunConfig({
        file: { path: "t.json", data: { store: { kind: "simulated" }, ...data } },
        freshSeed,
      });
    expect(resolve({ backend: "docker" })).toThrow(/backend.*simulated store runs on local, not docker/s);
    expect(resolve({ replication: "wait:1:100" })).toThrow(/replication.*replicates async \| sync/s);
    expect(resolve({ replication: "sync" })().replication).toBe("sync");
    expect(resolve({})().store).toEqual({
      kind: "simulated",
      followers: 2,
      failoverManagers: 3,
      replicationLagMs: 20,
      failoverTimeoutMs: 300,
    });
  });
});

describe("startSimulatedStore", () => {
  it("should lose the writes a partitioned leader acknowledged once the managers fail over and demote it", async () => {
    const cluster: StartedSimulatedStore = startSimulatedStore(request({ failoverTimeoutMs: 100 }));
    try {
      const workload = setWorkload();
      const c1 = cluster.client("c1", { workload, opTimeoutMs: 100 });
      const c2 = cluster.client("c2", { workload, opTimeoutMs: 100 });
      await c1.open();
      await c2.open();
      expect(await c1.invoke({ f: "add", key: "s", value: 1 })).toEqual({ type: "ok", value: 1, node: "n1" });
      await waitFor(() => cluster.world.node("n2")!.data.sets.get("s")?.has(1) === true);
      // n1 and c1 against the rest: n1 keeps acknowledging c1's writes while the managers promote a follower.
      const cut = await cluster.cutLinks(between("n1", ["n2", "n3", "s1", "s2", "s3", "c2"]));
      await cluster.cutLinks(between("c1", ["n2", "n3", "s1", "s2", "s3"]));
      expect(await c1.invoke({ f: "add", key: "s", value: 2 })).toEqual({ type: "ok", value: 2, node: "n1" });
      await waitFor(async () => (await cluster.leader()) !== "n1");
      expect(cluster.world.writableLeaders()).toEqual(["n1", "n2"]);
      expect(await c2.invoke({ f: "add", key: "s", value: 3 })).toEqual({ type: "ok", value: 3, node: "n2" });
      await cut.heal();
      await cluster.heal();
      expect(await cluster.awaitHealthy(3000)).toBe("n2");
      // n1's data was replaced by n2's: the write only n1 acknowledged is gone everywhere.
      expect(cluster.world.node("n1")!.data.sets.get("s")?.has(2)).toBe(false);
      const members = (): string[] =>
        cluster.world.nodes.map((n) => [...(n.data.sets.get("s") ?? [])].sort().join());
      await waitFor(() => members().every((m) => m === "1,3"));
      expect(await c1.invoke({ f: "read", key: "s", value: null })).toEqual(
        expect.objectContaining({ type: "fail" }),
      );
      expect(await c1.invoke({ f: "read", key: "s", value: null })).toEqual({
        type: "ok",
        value: [1, 3],
        node: "n2",
      });
    } finally {
      await cluster.stop();
    }
  });

  it("should acknowledge no write a partitioned leader cannot replicate under sync replication", async () => {
    const cluster = startSimulatedStore({ ...request({ failoverTimeoutMs: 100 }), replication: "sync" });
    try {
      const workload = setWorkload();
      const c1 = cluster.client("c1", { workload, opTimeoutMs: 150 });
      await c1.open();
      expect(await c1.invoke({ f: "add", key: "s", value: 1 })).toEqual({ type: "ok", value: 1, node: "n1" });
      // Acknowledged only once every follower held it.
      for (const n of cluster.world.nodes) expect(n.data.sets.get("s")?.has(1)).toBe(true);
      await cluster.cutLinks(between("n1", ["n2", "n3", "s1", "s2", "s3", "c2"]));
      expect(await c1.invoke({ f: "add", key: "s", value: 2 })).toEqual(
        expect.objectContaining({ type: "info", error: expect.stringMatching(/^sync: /) as unknown }),
      );
      await waitFor(async () => (await cluster.leader()) !== "n1");
      await cluster.heal();
      expect(await cluster.awaitHealthy(3000)).not.toBe("n1");
      for (const n of cluster.world.nodes) expect([...n.data.sets.get("s")!]).toEqual([1]);
    } finally {
      await cluster.stop();
    }
  });

  it("should answer info when the reply is cut (the op applied) and fail when the connection is refused", async () => {
    const cluster = startSimulatedStore(request());
    try {
      const c1 = cluster.client("c1", { workload: setWorkload(), opTimeoutMs: 50 });
      await c1.open();
      const reply = await cluster.cutLinks([{ source: "c1", destination: "n1", stream: "downstream" }]);
      expect(await c1.invoke({ f: "add", key: "s", value: 1 })).toEqual(
        expect.objectContaining({ type: "info" }),
      );
      expect(cluster.world.node("n1")!.data.sets.get("s")?.has(1)).toBe(true);
      await reply.heal();
      const refused = await cluster.cutLinks([{ source: "c1", destination: "n1", stream: "upstream" }], {
        cut: "refuse",
      });
      expect(await c1.invoke({ f: "add", key: "s", value: 2 })).toEqual(
        expect.objectContaining({ type: "fail", node: "n1" }),
      );
      expect(cluster.world.node("n1")!.data.sets.get("s")?.has(2)).toBe(false);
      await refused.heal();
    } finally {
      await cluster.stop();
    }
  });

  it("should fail over when the leader is killed and keep the restarted node as a follower", async () => {
    const cluster = startSimulatedStore(request({ failoverTimeoutMs: 50 }));
    try {
      await cluster.kill("n1");
      expect(cluster.isRunning("n1")).toBe(false);
      await waitFor(async () => (await cluster.leader()) === "n2");
      await cluster.restart("n1");
      expect(await cluster.awaitHealthy(3000)).toBe("n2");
      expect(cluster.world.node("n1")!.role).toBe("follower");
    } finally {
      await cluster.stop();
    }
  });

  it("should time out (info) on a paused node until it is resumed", async () => {
    const cluster = startSimulatedStore(request());
    try {
      const c1 = cluster.client("c1", { workload: setWorkload(), opTimeoutMs: 50 });
      await c1.open();
      await cluster.pause("n1");
      expect(cluster.world.node("n1")!.paused).toBe(true);
      expect(await c1.invoke({ f: "add", key: "s", value: 1 })).toEqual(
        expect.objectContaining({ type: "info" }),
      );
      await cluster.resume("n1");
      expect(cluster.world.node("n1")!.paused).toBe(false);
    } finally {
      await cluster.stop();
    }
  });
});
