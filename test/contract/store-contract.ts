import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTagForThisProcess } from "../../core/backends/local/index.js";
import { validatingClient, withTimeout, type Client, type Completion } from "../../core/clients/index.js";
import { isKillable, isPartitionable, type StoppedCluster } from "../../core/cluster/index.js";
import { sleep } from "../../core/clock/index.js";
import type { StartedStore, StoreAdapter, StoreSettings } from "../../stores/index.js";
import { workloadByName, type Invocation, type Workload } from "../../workloads/index.js";

/** What the contract suite runs an adapter with. */
export interface StoreContractOptions {
  readonly adapter: StoreAdapter<any>;
  /** Settings under `store:` besides `kind` (the adapter's defaults fill the rest). */
  readonly settings?: Readonly<Record<string, unknown>>;
  readonly network: "proxy" | "direct";
  /** The store client's per-op timeout. */
  readonly opTimeoutMs: number;
  /** Where the nodes run (default `local`); docker runs use the local images (`faultline images build-local`). */
  readonly backend?: "local" | "docker";
  /** How long the cluster may take to recover after a fault. */
  readonly recoveryTimeoutMs: number;
  /** Each test's timeout in vitest. */
  readonly testTimeoutMs: number;
  /** What of the run is still there after `stop()` (processes, timers, …), in words: empty when nothing is. */
  leftovers(cluster: StartedStore, runId: string): string[];
}

/** One op of a workload and what its completion must be: `ok` with a value `check` accepts, or `fail`. */
interface Step {
  readonly op: Invocation;
  readonly expect: "ok" | "fail-without-error";
  readonly check?: (value: unknown) => boolean;
}

/**
 * Each workload's op kinds, once each, in an order whose answers are known on a fresh cluster (the final reads
 * then read back what was written).
 */
const STEPS: Readonly<Record<string, readonly Step[]>> = {
  set: [
    { op: { f: "add", key: "faultline:set", value: 1 }, expect: "ok", check: (v) => v === 1 },
    { op: { f: "read", key: "faultline:set", value: null }, expect: "ok", check: (v) => same(v, [1]) },
  ],
  register: [
    { op: { f: "write", key: "r0", value: 1 }, expect: "ok", check: (v) => v === 1 },
    { op: { f: "read", key: "r0", value: null }, expect: "ok", check: (v) => v === 1 },
    { op: { f: "cas", key: "r0", value: [1, 2] }, expect: "ok", check: (v) => same(v, [1, 2]) },
    { op: { f: "cas", key: "r0", value: [1, 3] }, expect: "fail-without-error" },
    { op: { f: "read", key: "r1", value: null }, expect: "ok", check: (v) => v === null },
  ],
  counter: [
    { op: { f: "incr", key: "c0", value: 3 }, expect: "ok", check: (v) => v === 3 },
    { op: { f: "read", key: "c0", value: null }, expect: "ok", check: (v) => v === 3 },
  ],
  "follower-reads": [
    { op: { f: "write", key: "v0", value: 1 }, expect: "ok", check: (v) => v === 1 },
    { op: { f: "read", key: "v0", value: null, route: "leader" }, expect: "ok", check: (v) => v === 1 },
    {
      op: { f: "read", key: "v0", value: null, route: "follower" },
      expect: "ok",
      check: (v) => v === null || v === 1,
    },
  ],
  "list-append": [
    {
      op: {
        f: "txn",
        value: [
          ["append", 0, 1],
          ["r", 0, null],
        ],
      },
      expect: "ok",
      check: (v) =>
        same(v, [
          ["append", 0, 1],
          ["r", 0, [1]],
        ]),
    },
    { op: { f: "txn", value: [["r", 1, null]] }, expect: "ok", check: (v) => same(v, [["r", 1, []]]) },
  ],
};

/** What each workload's final reads must return after {@link STEPS}, by key (list-append: its one txn). */
const FINAL: Readonly<Record<string, (read: Invocation, value: unknown) => boolean>> = {
  set: (_, v) => same(v, [1]),
  register: (r, v) => v === (r.key === "r0" ? 2 : null),
  counter: (r, v) => v === (r.key === "c0" ? 3 : 0),
  "follower-reads": (r, v) => v === (r.key === "v0" ? 1 : null),
  "list-append": (_, v) =>
    Array.isArray(v) &&
    v.some((m) => same(m, ["r", 0, [1]])) &&
    v.every((m) => Array.isArray(m) && m[0] === "r"),
};

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Registers the store adapter contract (issue 12, "What must be shown") as vitest tests on one cluster of
 * `o.adapter`: start → ready (a data node leads, `awaitHealthy` agrees), every op kind of every workload the
 * adapter lists classified (`ok` with a value of the right shape, a cas that does not match `fail` without an
 * error) and the final reads returning what was written, a cut client → leader link making an op end `info` or
 * `fail` (never `ok`) until healed, a killed and restarted follower after which the cluster recovers, and a
 * teardown that leaves nothing and is idempotent. An adapter is done when it passes.
 *
 * @example
 * storeContract({ adapter: simulatedStore, network: "proxy", opTimeoutMs: 200, recoveryTimeoutMs: 5000,
 *   testTimeoutMs: 20_000, leftovers: () => [] });
 */
export function storeContract(o: StoreContractOptions): void {
  describe(`the ${o.adapter.kind} store adapter contract`, () => {
    const dir = mkdtempSync(join(tmpdir(), `faultline-contract-${o.adapter.kind}-`));
    const runId = `contract-${o.adapter.kind}/${process.pid}/${Date.now()}`;
    let cluster: StartedStore | undefined;
    const started = (): StartedStore => {
      if (!cluster) throw new Error("the cluster did not start");
      return cluster;
    };
    const dataNodes = (): string[] =>
      started()
        .nodes.filter((n) => n.role === "data")
        .map((n) => n.name);
    const clientFor = (workload: Workload<any>, name = "c1"): Client =>
      validatingClient(
        withTimeout(started().client(name, { workload, opTimeoutMs: o.opTimeoutMs }), o.opTimeoutMs + 250),
      );

    beforeAll(async () => {
      const parsed = o.adapter.settings.parse({ kind: o.adapter.kind, ...o.settings }) as StoreSettings;
      const { settings, replication } = o.adapter.replication.reconcile("async", parsed);
      cluster = await o.adapter
        .cluster({
          runDir: dir,
          tag: runTagForThisProcess(runId, dir),
          settings,
          replication,
          clients: ["c1", "c2"],
          network: o.network,
          backend: o.backend ?? "local",
          docker: { images: o.backend === "docker" ? "local" : "official" },
          keepProxyAfterHarness: false,
          say: () => undefined,
        })
        .start();
    }, o.testTimeoutMs);

    afterAll(async () => {
      await cluster?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it("should be ready when start resolves: a data node leads and awaitHealthy names it", async () => {
      const leader = await started().leader();
      expect(dataNodes()).toContain(leader);
      expect(await started().awaitHealthy(o.recoveryTimeoutMs)).toBe(leader);
    });

    it(
      "should classify every op of every workload it lists and read back what was written",
      async () => {
        expect(o.adapter.workloads.length).toBeGreaterThan(0);
        for (const name of o.adapter.workloads) {
          const workload = workloadByName(name)!;
          const steps = STEPS[name];
          expect(steps, `the contract knows the ${name} workload`).toBeDefined();
          const client = clientFor(workload);
          await client.open();
          for (const step of steps!) {
            workload.observe?.(step.op);
            const done: Completion = await client.invoke(step.op);
            const what = `${name} ${step.op.f} ${JSON.stringify(step.op.value)} → ${JSON.stringify(done)}`;
            if (step.expect === "fail-without-error") {
              expect(done, what).toEqual(expect.objectContaining({ type: "fail" }));
              expect(done.error, what).toBeUndefined();
            } else {
              expect(done.type, what).toBe("ok");
              expect(step.check!(done.value), what).toBe(true);
            }
            if (done.node !== undefined) expect(dataNodes(), what).toContain(done.node);
          }
          for (const read of workload.finalReads) {
            const done = await client.invoke(read);
            const what = `${name} final ${JSON.stringify(read)} → ${JSON.stringify(done)}`;
            expect(done.type, what).toBe("ok");
            expect(FINAL[name]!(read, done.value), what).toBe(true);
          }
          await client.close();
        }
      },
      o.testTimeoutMs,
    );

    it(
      "should not acknowledge an op over a cut client → leader link, and serve again once it is healed",
      async () => {
        const c = started();
        expect(isPartitionable(c)).toBe(true);
        if (!isPartitionable(c)) return;
        const leader = (await c.leader())!;
        const workload = workloadByName("set")!;
        const cut = await c.cutLinks([
          { source: "c2", destination: leader, stream: "upstream" },
          { source: "c2", destination: leader, stream: "downstream" },
        ]);
        const client = clientFor(workload, "c2");
        await client.open();
        const done = await client.invoke({ f: "add", key: "faultline:set", value: 2 });
        expect(["info", "fail"]).toContain(done.type);
        await cut.heal();
        let after: Completion | undefined;
        const deadline = Date.now() + o.recoveryTimeoutMs;
        for (let v = 3; Date.now() < deadline; v++) {
          after = await client.invoke({ f: "add", key: "faultline:set", value: v });
          if (after.type === "ok") break;
          await sleep(100);
        }
        expect(after?.type).toBe("ok");
        await client.close();
      },
      o.testTimeoutMs,
    );

    it(
      "should recover when a follower is killed and restarted",
      async () => {
        const c = started();
        expect(isKillable(c)).toBe(true);
        if (!isKillable(c)) return;
        const leader = await c.leader();
        const follower = dataNodes().find((n) => n !== leader)!;
        await c.kill(follower);
        expect(c.isRunning(follower)).toBe(false);
        await c.restart(follower);
        expect(c.isRunning(follower)).toBe(true);
        expect(dataNodes()).toContain(await c.awaitHealthy(o.recoveryTimeoutMs));
      },
      o.testTimeoutMs,
    );

    it(
      "should leave nothing after stop, and stop again with the same result",
      async () => {
        const c = started();
        const first: StoppedCluster = await c.stop();
        expect(o.leftovers(c, runId)).toEqual([]);
        expect(await c.stop()).toBe(first);
      },
      o.testTimeoutMs,
    );
  });
}
