import { spawnSync } from "node:child_process";
import Docker from "dockerode";
import { describe, expect, it, onTestFinished } from "vitest";
import {
  DOCKER,
  DOCKER_FLAGS,
  expectNoLabelledObjects,
  labelledObjects,
  LOCAL_IMAGES,
  RUN_LABEL,
  SKIP_NOTE,
  useDockerImages,
} from "./support/docker-helpers.js";
import {
  awaitRunGoing,
  finish,
  flags,
  runDirOf,
  runFaultline,
  runIdOf,
  startFaultline,
  tempStore,
} from "./support/spine-helpers.js";

useDockerImages();

describe.skipIf(!DOCKER.ok)(`docker backend leftovers${SKIP_NOTE}`, () => {
  it("should remove every container and the network when a run fails after creating them", async () => {
    // Node containers that cannot start: the proxy image has no redis-server. The network, the proxy's
    // container and six node containers exist by then.
    const store = tempStore("docker-failed");
    const r = await runFaultline([
      ...flags("run --time-limit 2s"),
      ...DOCKER_FLAGS,
      "--redis-image",
      "faultline-local/proxy:latest",
      "--store-dir",
      store,
    ]);
    expect(r.code, r.stderr).toBe(255);
    expect(r.stderr).toMatch(/redis-server/);
    await expectNoLabelledObjects(runIdOf(runDirOf(store)));
  });

  it("should remove a SIGKILLed run's containers through its reaper, older leftovers at the next run, and kept ones on cleanup", async () => {
    const storeA = tempStore("docker-reap-a");
    const a = startFaultline([
      ...flags("run --time-limit 60s --nemesis none"),
      ...DOCKER_FLAGS,
      "--store-dir",
      storeA,
    ]);
    const dirA = await awaitRunGoing(a, storeA, 50, 90_000);
    const idA = runIdOf(dirA);
    // 6 nodes + the proxy + the run's reaper + the network
    expect((await labelledObjects(idA)).sort()).toHaveLength(9);
    expect(await labelledObjects(idA)).toContainEqual(expect.stringMatching(/^container fl-.*-reaper$/));
    a.kill("SIGKILL");
    await finish(a, 10_000);
    // The reaper sees the harness's hold on its stdin end and removes everything of the run, itself last
    // (removal waits for the proxy's port forwarders: see the chaos test's REMOVAL_BOUND_MS).
    await expectNoLabelledObjects(idA, 10_000);

    // What a dead run left anyway (here a container labelled with a harness that is gone, as if its reaper had
    // been removed too) is removed by the next docker run, which says so.
    const docker = new Docker();
    const idDead = `e2e-dead-run/${process.pid}/${Date.now()}`;
    const dead = spawnSync("true").pid!;
    const orphan = await docker.createContainer({
      Image: LOCAL_IMAGES[0],
      Entrypoint: ["/bin/sh", "-c", "sleep 120"],
      Labels: {
        [RUN_LABEL]: idDead,
        "faultline.harness-pid": String(dead),
        "faultline.harness-start": "1",
        "faultline.run-dir": "",
      },
      HostConfig: { NetworkMode: "none" },
    });
    onTestFinished(async () => void (await orphan.remove({ force: true }).catch(() => undefined)));

    // The next docker run removes them first, and says so; this one keeps its cluster on purpose.
    const storeB = tempStore("docker-reap-b");
    const b = await runFaultline([
      ...flags("run --time-limit 2s --leave-running"),
      ...DOCKER_FLAGS,
      "--store-dir",
      storeB,
    ]);
    expect(b.code, b.stderr).toBe(0);
    expect(b.stderr).toContain(
      `removed 1 container(s) and 0 network(s) left behind by dead run(s) ${idDead}`,
    );
    await expectNoLabelledObjects(idDead);
    const idB = runIdOf(runDirOf(storeB));
    onTestFinished(async () => void (await runFaultline(["cleanup", "--run", idB])));
    expect(await labelledObjects(idB)).toHaveLength(8);

    // A plain cleanup keeps the kept cluster; naming the run removes it.
    const plain = await runFaultline(["cleanup"]);
    expect(plain.code).toBe(0);
    expect(await labelledObjects(idB)).toHaveLength(8);
    const named = await runFaultline(["cleanup", "--run", idB]);
    expect(named.code, named.stderr).toBe(0);
    expect(named.stdout).toContain(`of run ${idB}`);
    expect(named.stdout).toMatch(/removed network fl-/);
    await expectNoLabelledObjects(idB);
  });
});
