/**
 * Clock faults on the docker backend: the node's container is started again with faultline's clock shim preloaded
 * (the shim copied into the node's mounted directory, `LD_PRELOAD` from its `start.env`), so a follower in a
 * container tells time an hour off and a Sentinel in a container whose clock jumps enters TILT; both run in the
 * plain environment again after the stop, and nothing of the run is left in the engine.
 */
import { describe, expect, it } from "vitest";
import { connectDocker } from "../../core/backends/docker/index.js";
import { imageRefs } from "../../core/images/index.js";
import { REDIS_IMAGES } from "../../stores/redis-sentinel/index.js";
import { inspectProcess } from "../../stores/redis-sentinel/index.js";
import { DOCKER, expectNoLabelledObjects, SKIP_NOTE, useDockerImages } from "./support/docker-helpers.js";
import {
  clockSkewMs,
  eventually,
  inspect,
  sentinelEventSeen,
  withNemesisBench,
} from "./support/nemesis-helpers.js";
import { dockerNodeBackend } from "../../stores/redis-sentinel/index.js";

useDockerImages();

describe.skipIf(!DOCKER.ok)(`clock faults on the docker backend${SKIP_NOTE}`, () => {
  it("should run a follower's container at a clock offset, jump a Sentinel's into TILT, and restore both", async () => {
    const backend = dockerNodeBackend({
      docker: await connectDocker(),
      images: imageRefs("local", REDIS_IMAGES),
    });
    let runId = "";
    await withNemesisBench(
      async ({ cluster, history, windows, runId: id }) => {
        runId = id;
        expect(cluster.backend).toBe("docker");
        const d = windows([
          { fault: "clock", target: "random-follower", params: { mode: "offset", offset: -3_600_000 } },
          { fault: "clock", target: "s2", params: { mode: "jump", offset: 30_000 } },
        ]);

        const offset = await d.fire("start", "f1");
        expect(offset.type, JSON.stringify(offset)).toBe("ok");
        const node: string = offset.value.node;
        // Inside the container the shim is the copy in the node's directory, mounted at /node.
        expect(inspectProcess(offset.value.pid as number)?.preload).toEqual([
          expect.stringMatching(/^\/node\/faultline-clock-[0-9a-f]+\.so$/),
        ]);
        expect(inspect(cluster, node)?.preload).toHaveLength(1);
        expect(Math.abs((await clockSkewMs(cluster, node)) + 3_600_000)).toBeLessThan(5_000);

        const jump = await d.fire("start", "f2");
        expect(jump.type, JSON.stringify(jump)).toBe("ok");
        await eventually("+tilt from s2 in the history", 15_000, () =>
          Promise.resolve(sentinelEventSeen(history, "s2", "+tilt")),
        );

        await d.fire("stop", "f1");
        await d.fire("stop", "f2");
        expect(Math.abs(await clockSkewMs(cluster, node))).toBeLessThan(5_000);
        expect(inspect(cluster, node)?.preload).toEqual([]);
        expect(inspect(cluster, "s2")?.preload).toEqual([]);
        expect(await cluster.awaitHealthy(30_000)).toBeDefined();
      },
      { backend },
    );
    await expectNoLabelledObjects(runId);
  });
});
