import type { StoreClusterRequest } from "../../store.js";
import type { NodeBackendFactory } from "../cluster/index.js";
import type { RedisSettings } from "../settings.js";
import { REDIS_IMAGES } from "./redis-image.js";

/**
 * The node backend a run asked for: `undefined` for the local default (nothing to load); for `docker`, it
 * connects to the engine, removes the containers and networks that dead runs left behind (by label, as `reap`
 * does for processes), checks that the images are there (never pulling), and returns the docker backend. The
 * docker modules are loaded only then, so local runs never load dockerode.
 *
 * @example
 * const backend = await nodeBackendFor(request);
 * redisSentinelCluster({ ...options, ...(backend ? { backend } : {}) });
 */
export async function nodeBackendFor(
  request: Pick<StoreClusterRequest<RedisSettings>, "backend" | "docker" | "settings" | "say">,
): Promise<NodeBackendFactory | undefined> {
  if (request.backend !== "docker") return undefined;
  const { say, docker: config, settings } = request;
  const { connectDocker, reapDocker } = await import("../../../core/backends/docker/index.js");
  const { dockerNodeBackend } = await import("./docker-node-backend.js");
  const { imageRefs, requireImages } = await import("../../../core/images/index.js");
  const docker = await connectDocker();
  const removed = await reapDocker(docker);
  if (removed.length > 0) {
    const runs = [...new Set(removed.map((o) => o.runId))].join(", ");
    const containers = removed.filter((o) => o.kind === "container").length;
    say(
      `removed ${containers} container(s) and ${removed.length - containers} network(s) left behind by dead run(s) ${runs}`,
    );
  }
  const images = imageRefs(config.images, REDIS_IMAGES, {
    ...(settings.image !== undefined ? { store: settings.image } : {}),
    ...(config.proxyImage !== undefined ? { proxy: config.proxyImage } : {}),
  });
  await requireImages(docker, images, config.images);
  return dockerNodeBackend({ docker, images, say });
}
