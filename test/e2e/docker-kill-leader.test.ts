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
  expectFailoverAfter,
  flags,
  historyOps,
  readJson,
  runDirOf,
  runFaultline,
  tempStore,
} from "./support/spine-helpers.js";

useDockerImages();

describe.skipIf(!DOCKER.ok)(`faultline run --backend docker --nemesis kill-leader${SKIP_NOTE}`, () => {
  it("should kill the leader's container, record the failover, restart it, and remove every container and network", async () => {
    const store = tempStore("docker-kill");
    const r = await runFaultline([
      ...flags(
        "run --nemesis kill-leader --time-limit 10s --nemesis-interval 2s --restart-delay 5s --seed 11",
      ),
      ...DOCKER_FLAGS,
      "--store-dir",
      store,
    ]);
    const dir = runDirOf(store);
    // As on the local backend: a decided verdict (whether a SIGKILL loses writes depends on replication lag).
    expect([0, 1], r.stderr).toContain(r.code);
    const config = readJson(join(dir, "config.json"));
    expect(config.backend).toBe("docker");
    expect(config.run.cluster.backend).toBe("docker");
    const ops = historyOps(dir);

    const kill = ops.find((o) => o.process === "nemesis" && o.f === "start-kill-leader" && o.type === "ok");
    expect(kill?.value).toMatchObject({ node: "n1", signal: "SIGKILL" });
    expect(kill?.value.pid).toBeGreaterThan(0);
    const restart = ops.find((o) => o.process === "nemesis" && o.f === "stop-kill-leader" && o.type === "ok");
    expect(restart?.value).toMatchObject({ node: "n1", restarted: true });

    expectFailoverAfter(ops, kill!.time);
    const results = readJson(join(dir, "results.json"));
    expect(results.results.set.finalRead).not.toBeNull();
    const leaders = ops.filter((o) => o.process === "monitor" && o.f === "leader" && o.value !== null);
    expect(results.final.leader).toBe(leaders.at(-1)!.value);

    // Node logs: the server's own log file, written through the mounted node directory.
    expect(existsSync(join(dir, "nodes", "n1", "redis.log"))).toBe(true);
    expect(existsSync(join(dir, "nodes", "s1", "sentinel.log"))).toBe(true);
    expect(existsSync(join(dir, "nodes", "proxy", "proxy.log"))).toBe(true);

    await expectNoLabelledObjects(config.run.id as string);
  });
});
