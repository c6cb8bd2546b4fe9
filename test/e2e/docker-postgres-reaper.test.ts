import { describe, expect, it } from "vitest";
import {
  DOCKER,
  DOCKER_FLAGS,
  expectNoLabelledObjects,
  labelledObjects,
  SKIP_NOTE,
  useDockerImages,
} from "./support/docker-helpers.js";
import { awaitRunGoing, finish, flags, runIdOf, startFaultline, tempStore } from "./support/spine-helpers.js";

useDockerImages();

describe.skipIf(!DOCKER.ok)(`postgres-patroni on docker: a killed harness${SKIP_NOTE}`, () => {
  it("should have its containers and network removed by the run's reaper when the harness is SIGKILLed", async () => {
    const store = tempStore("docker-pg-reap");
    const run = startFaultline([
      ...flags("run --store postgres-patroni --time-limit 120s --nemesis none"),
      ...DOCKER_FLAGS,
      "--store-dir",
      store,
    ]);
    const dir = await awaitRunGoing(run, store, 20, 180_000);
    const id = runIdOf(dir);
    const objects = await labelledObjects(id);
    // 3 data nodes + 3 etcd members + the proxy + the run's reaper, and the network.
    expect(objects.filter((o) => o.startsWith("container "))).toHaveLength(8);
    expect(objects).toContainEqual(expect.stringMatching(/^container fl-.*-reaper$/));
    expect(objects).toContainEqual(expect.stringMatching(/^network fl-/));
    run.kill("SIGKILL");
    await finish(run, 10_000);
    await expectNoLabelledObjects(id, 20_000);
  }, 300_000);
});
