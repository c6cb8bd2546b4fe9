import { readFileSync } from "node:fs";
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

describe.skipIf(!DOCKER.ok)(`faultline run --backend docker --nemesis partition-leader${SKIP_NOTE}`, () => {
  it("should lose acknowledged writes to the isolated leader, exit 1, and remove every container and network", async () => {
    const store = tempStore("docker-partition");
    const r = await runFaultline([
      ...flags(
        "run --nemesis partition-leader --time-limit 10s --nemesis-interval 2s --partition-duration 6s --seed 7",
      ),
      ...DOCKER_FLAGS,
      "--store-dir",
      store,
    ]);
    const dir = runDirOf(store);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain("verdict: INVALID");
    const set = readJson(join(dir, "results.json")).results.set;
    expect(set.valid).toBe(false);
    expect(set.lostCount).toBeGreaterThan(0);

    // The partition cut links by container address (the proxy's sources map), and Sentinel failed over.
    const ops = historyOps(dir);
    const start = ops.find(
      (o) => o.process === "nemesis" && o.f === "start-partition-leader" && o.type === "ok",
    );
    expect(start?.value.leader).toBe("n1");
    expect(start?.value.links).toContain("n2->n1");
    const leaders = ops.filter((o) => o.process === "monitor" && o.f === "leader").map((o) => o.value);
    expect(leaders[0]).toBe("n1");
    expect(leaders.some((l) => l !== "n1" && l !== null)).toBe(true);
    const startTime = start!.time;
    const byIndex = new Map(ops.map((o) => [o.index, o]));
    for (const l of fullList<{ ackedAt: number; ackedTime: number }>(dir, "set", "lost")) {
      expect(byIndex.get(l.ackedAt)?.node).toBe("n1");
      expect(l.ackedTime).toBeGreaterThanOrEqual(startTime - 50e6);
    }
    // Every node announced the proxy's container address: the sources map names all six nodes.
    const proxyLog = readFileSync(join(dir, "nodes", "proxy", "proxy.log"), "utf8");
    expect(proxyLog).toContain('"event":"sources.changed"');
    const config = readJson(join(dir, "config.json"));
    // The harness reached the API at the proxy's bridge address when this machine holds the run's bridge (a local
    // engine on Linux: nothing published), else at a published loopback port.
    expect(new URL(config.run.cluster.proxy as string).hostname).toMatch(/^(10\.213\.\d+\.2|127\.0\.0\.1)$/);

    await expectNoLabelledObjects(config.run.id as string);
  });
});
