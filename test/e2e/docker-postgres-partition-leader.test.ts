import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  DOCKER,
  DOCKER_FLAGS,
  expectNoLabelledObjects,
  SKIP_NOTE,
  useDockerImages,
} from "./support/docker-helpers.js";
import {
  flags,
  fullList,
  historyOps,
  readJson,
  runDirOf,
  runFaultline,
  tempStore,
} from "./support/spine-helpers.js";

useDockerImages();

// The schedule of postgres-patroni-run.test.ts (async): the leader is partitioned for 28 s, longer than Patroni's
// ttl of 20 s, so its leader lock expires and a standby is promoted.
const RUN =
  "run --store postgres-patroni --workload set --nemesis partition-leader --time-limit 38s --nemesis-interval 5s " +
  "--partition-duration 28s --recovery-timeout 150s --seed 7 --replication async";

describe.skipIf(!DOCKER.ok)(`faultline run --store postgres-patroni --backend docker${SKIP_NOTE}`, () => {
  it("should cut the leader's container from the standbys and etcd by source address, lose its acknowledged writes after failover, and remove everything", async () => {
    const store = tempStore("docker-pg-partition");
    const r = await runFaultline([...flags(RUN), ...DOCKER_FLAGS, "--store-dir", store], {
      timeoutMs: 420_000,
    });
    const dir = runDirOf(store);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain("verdict: INVALID");
    const config = readJson(join(dir, "config.json"));
    expect(config.store.kind).toBe("postgres-patroni");
    expect(config.run.cluster.backend).toBe("docker");
    expect(config.run.cluster.sourceResolution).toMatch(/by source address/);

    const ops = historyOps(dir);
    const start = ops.find(
      (o) => o.process === "nemesis" && o.f === "start-partition-leader" && o.type === "ok",
    );
    const oldLeader = start!.value.leader as string;
    expect(["n1", "n2", "n3"]).toContain(oldLeader);
    // Standbys, Patroni agents and etcd members all dial the proxy's one listener per destination: only their
    // containers' addresses tell them apart, and the partition cut the old leader's links alone.
    const others = ["n1", "n2", "n3"].filter((n) => n !== oldLeader);
    expect(start!.value.links).toEqual(
      expect.arrayContaining([
        `${oldLeader}->s1`,
        `${oldLeader}->${others[0]}`,
        `${others[0]}->${oldLeader}`,
      ]),
    );

    const set = readJson(join(dir, "results.json")).results.set;
    expect(set.lostCount).toBeGreaterThan(0);
    const lost = fullList<{ element: number; ackedAt: number }>(dir, "set", "lost");
    const byIndex = new Map(ops.map((o) => [o.index, o]));
    for (const l of lost) expect(byIndex.get(l.ackedAt)?.node).toBe(oldLeader);
    const leaders = ops.filter((o) => o.process === "monitor" && o.f === "leader").map((o) => o.value);
    expect(leaders.some((l) => l !== null && l !== oldLeader)).toBe(true);

    // Each container's output is saved into its node's directory before the container is removed.
    for (const n of ["n1", "s1", "proxy"]) {
      expect(existsSync(join(dir, "nodes", n, n === "proxy" ? "proxy.log" : "container.log"))).toBe(true);
    }
    await expectNoLabelledObjects(config.run.id as string);
  }, 480_000);
});
