import type { ResolvedRunConfig } from "../config/index.js";
import type { NodeBackendFactory } from "../redis/index.js";

/**
 * The node backend a run asked for: `undefined` for the local default (nothing to load); for `docker`, it
 * connects to the engine, removes the containers and networks that dead runs left behind (by label, as `reap`
 * does for processes), checks that the images are there (never pulling), and returns the docker backend. The
 * docker modules are loaded only then, so local runs never load dockerode.
 *
 * @example
 * const backend = await nodeBackendFor(config, say);
 * redisSentinelCluster({ ...options, ...(backend ? { backend } : {}) });
 */
export async function nodeBackendFor(
  config: Pick<ResolvedRunConfig, "backend" | "docker">,
  say: (text: string) => void,
): Promise<NodeBackendFactory | undefined> {
  if (config.backend !== "docker") return undefined;
  const { connectDocker, dockerNodeBackend, reapDocker } = await import("../backends/docker/index.js");
  const { imageRefs, requireImages } = await import("../images/index.js");
  const docker = await connectDocker();
  const removed = await reapDocker(docker);
  if (removed.length > 0) {
    const runs = [...new Set(removed.map((o) => o.runId))].join(", ");
    const containers = removed.filter((o) => o.kind === "container").length;
    say(
      `removed ${containers} container(s) and ${removed.length - containers} network(s) left behind by dead run(s) ${runs}`,
    );
  }
  const images = imageRefs(config.docker.images, {
    ...(config.docker.redisImage !== undefined ? { redis: config.docker.redisImage } : {}),
    ...(config.docker.proxyImage !== undefined ? { proxy: config.docker.proxyImage } : {}),
  });
  await requireImages(docker, images);
  return dockerNodeBackend({ docker, images });
}
