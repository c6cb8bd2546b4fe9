import { describe, expect, it, onTestFinished } from "vitest";
import {
  DOCKER,
  DOCKER_FLAGS,
  expectNoLabelledObjects,
  labelledObjects,
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

  it("should leave a SIGKILLed run's containers for the next run to remove, and let cleanup remove kept ones", async () => {
    const storeA = tempStore("docker-reap-a");
    const a = startFaultline([
      ...flags("run --time-limit 60s --nemesis none"),
      ...DOCKER_FLAGS,
      "--store-dir",
      storeA,
    ]);
    const dirA = await awaitRunGoing(a, storeA, 50, 90_000);
    const idA = runIdOf(dirA);
    expect((await labelledObjects(idA)).sort()).toHaveLength(8); // 6 nodes + the proxy + the network
    a.kill("SIGKILL");
    await finish(a, 10_000);
    // Containers do not die with the harness.
    expect(await labelledObjects(idA)).toHaveLength(8);

    // The next docker run removes them first, and says so; this one keeps its cluster on purpose.
    const storeB = tempStore("docker-reap-b");
    const b = await runFaultline([
      ...flags("run --time-limit 2s --leave-running"),
      ...DOCKER_FLAGS,
      "--store-dir",
      storeB,
    ]);
    expect(b.code, b.stderr).toBe(0);
    expect(b.stderr).toContain(`removed 7 container(s) and 1 network(s) left behind by dead run(s) ${idA}`);
    await expectNoLabelledObjects(idA);
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
