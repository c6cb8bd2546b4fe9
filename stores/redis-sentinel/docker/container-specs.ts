import type Docker from "dockerode";
import type { NodePlacement } from "../cluster/index.js";
import { DATA_PORT, NODE_DIR, SENTINEL_PORT } from "./docker-layout.js";
import { LABELS, type RunContainerContext } from "../../../core/backends/docker/index.js";

/** The node's environment file, sourced before `redis-server` starts (absent: the plain environment). */
export const NODE_ENV_FILE = `${NODE_DIR}/start.env`;
const START_SCRIPT = `if [ -f ${NODE_ENV_FILE} ]; then . ${NODE_ENV_FILE}; fi; exec redis-server "$@"`;

/** What every container of a run shares (the core docker backend's; the proxy's container is its `proxyContainerSpec`). */
export type { RunContainerContext } from "../../../core/backends/docker/index.js";
export { proxyContainerSpec } from "../../../core/backends/docker/index.js";

/**
 * The container of one Redis or Sentinel node: the Redis image with its entrypoint replaced by `redis-server`
 * started from `/bin/sh` (the official image's script would switch to its own `redis` user and chown the mounted
 * directory), run as
 * the harness's own user so the files it writes in the run directory stay the user's; the node's directory
 * mounted at `/node` (config, data, `redis.log`); a fixed address in the run's subnet; its listener published
 * on 127.0.0.1 at `hostPort` when given (else not published: the harness reaches it at `ip`).
 */
export function nodeContainerSpec(
  ctx: RunContainerContext,
  node: NodePlacement,
  image: string,
  ip: string,
  hostPort: number | undefined,
): Docker.ContainerCreateOptions {
  const data = node.role === "data";
  const port = `${data ? DATA_PORT : SENTINEL_PORT}/tcp`;
  return {
    name: `${ctx.prefix}-${node.name}`,
    Image: image,
    // `redis-server` as PID 1 through `sh`, which first sources the node's `start.env` when the harness left one
    // (a clock fault's `LD_PRELOAD` of the shim copied into the node's directory; see `DockerNodeBackend.start`).
    Entrypoint: ["/bin/sh", "-c", `${START_SCRIPT}`, "redis-server"],
    Cmd: data ? [`${NODE_DIR}/redis.conf`] : [`${NODE_DIR}/sentinel.conf`, "--sentinel"],
    User: userSpec(),
    WorkingDir: NODE_DIR,
    Labels: { ...ctx.labels, [LABELS.node]: node.name, [LABELS.role]: node.role },
    ExposedPorts: { [port]: {} },
    StopTimeout: 1,
    HostConfig: {
      Binds: [`${node.dir}:${NODE_DIR}`],
      ...(hostPort !== undefined
        ? { PortBindings: { [port]: [{ HostIp: "127.0.0.1", HostPort: String(hostPort) }] } }
        : {}),
      NetworkMode: ctx.network,
      RestartPolicy: { Name: "no" },
    },
    NetworkingConfig: { EndpointsConfig: { [ctx.network]: { IPAMConfig: { IPv4Address: ip } } } },
  };
}

function userSpec(): string {
  const uid = process.getuid?.() ?? 0;
  const gid = process.getgid?.() ?? 0;
  return `${uid}:${gid}`;
}
