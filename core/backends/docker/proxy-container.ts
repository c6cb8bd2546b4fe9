import { join } from "node:path";
import type Docker from "dockerode";
import { sleep } from "../../clock/index.js";
import { FaultlineError } from "../../errors/index.js";
import { PROXY_IMAGES } from "../../images/index.js";
import { saveContainerOutput } from "./container-logs.js";
import { httpGet } from "./http-probe.js";
import { LABELS } from "./labels.js";
import { startRunReaper, type RunReaper, type RunReaperOptions } from "./run-reaper.js";

/** The proxy container's API port (faultline's proxy and Toxiproxy alike). */
export const PROXY_API_PORT = 8474;

/** What every container of a run shares. */
export interface RunContainerContext {
  network: string;
  labels: Record<string, string>;
  /** A short prefix unique to the run (`fl-1a2b3c4d`), for container names. */
  prefix: string;
}

/**
 * The proxy's container: the image's own command (faultline's proxy image and Toxiproxy's both serve the API
 * on `0.0.0.0:8474`), with the ports of `published` (container port → host port: the API and every client
 * listener, or none when the harness reaches the proxy at `ip`) published on 127.0.0.1.
 */
export function proxyContainerSpec(
  ctx: RunContainerContext,
  image: string,
  ip: string,
  published: ReadonlyMap<number, number>,
  seed?: number,
): Docker.ContainerCreateOptions {
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const [inside, outside] of published) {
    exposed[`${inside}/tcp`] = {};
    bindings[`${inside}/tcp`] = [{ HostIp: "127.0.0.1", HostPort: String(outside) }];
  }
  if (published.size > 0 && !published.has(PROXY_API_PORT)) {
    throw new Error("the proxy's API port must be published with its other ports");
  }
  return {
    name: `${ctx.prefix}-proxy`,
    Image: image,
    Labels: { ...ctx.labels, [LABELS.node]: "proxy", [LABELS.role]: "proxy" },
    ExposedPorts: exposed,
    // faultline's proxy draws its toxics from the run's seed; a real Toxiproxy ignores the variable.
    ...(seed !== undefined ? { Env: [`FAULTLINE_PROXY_SEED=${seed}`] } : {}),
    StopTimeout: 1,
    HostConfig: { PortBindings: bindings, NetworkMode: ctx.network, RestartPolicy: { Name: "no" } },
    NetworkingConfig: { EndpointsConfig: { [ctx.network]: { IPAMConfig: { IPv4Address: ip } } } },
  };
}

/**
 * Starts the proxy container made from `spec` and waits (up to `timeoutMs`) until its API at `url` answers
 * `/version`; if it exits or stays silent, saves its output to `<logDir>/proxy.log` and throws
 * `PROXY_START_FAILED`. Resolves with the container and its pid.
 */
export async function startProxyContainer(
  docker: Docker,
  spec: Docker.ContainerCreateOptions,
  url: string,
  options: {
    timeoutMs: number;
    logDir: string;
    /** How to create it (default `docker.createContainer`; a run with a reaper tells it first). */
    create?: (spec: Docker.ContainerCreateOptions) => Promise<Docker.Container>;
    onCreated?: (c: Docker.Container) => void;
  },
): Promise<{ container: Docker.Container; pid: number }> {
  const container = await (options.create ?? ((s) => docker.createContainer(s)))(spec);
  options.onCreated?.(container);
  await container.start();
  const deadline = Date.now() + options.timeoutMs;
  let last = "";
  for (;;) {
    try {
      const r = await httpGet(`${url}/version`, 1000);
      if (r.status === 200) return { container, pid: (await container.inspect()).State.Pid };
      last = `HTTP ${r.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    const state = (await container.inspect()).State;
    if (!state.Running || Date.now() > deadline) {
      const file = join(options.logDir, "proxy.log");
      await saveContainerOutput(container, file);
      throw new FaultlineError(
        "PROXY_START_FAILED",
        `the proxy container ${spec.name} (${spec.Image}) ${state.Running ? `did not answer within ${options.timeoutMs} ms` : `exited (code ${state.ExitCode})`}: ${last}`,
        {
          details: { image: spec.Image, url, logFile: file },
          hint: `see ${file}; rebuild local images with \`faultline images build-local\` after \`npm run build\``,
        },
      );
    }
    await sleep(50);
  }
}

/**
 * Starts the run's reaper container (see {@link startRunReaper}) from `image` (default faultline's proxy image),
 * or says through `say` why there is none (its image is not built: a killed harness then leaves its containers
 * until the next docker run or `faultline cleanup`).
 */
export async function startRunReaperOrWarn(
  docker: Docker,
  prefix: string,
  labels: Record<string, string>,
  options: {
    image?: string | false;
    guard?: RunReaperOptions["guard"];
    say?: (text: string) => void;
  } = {},
): Promise<RunReaper | undefined> {
  if (options.image === false) return undefined;
  const image = options.image ?? PROXY_IMAGES.local;
  try {
    return await startRunReaper(docker, {
      image,
      name: `${prefix}-reaper`,
      labels,
      ...(options.guard ? { guard: options.guard } : {}),
    });
  } catch (err) {
    options.say?.(
      `warning: no reaper container (${image}: ${(err as Error).message}); if the harness dies, its containers ` +
        "stay until the next docker run or `faultline cleanup` (build the image with `faultline images build-local`)",
    );
    return undefined;
  }
}

/** Removes a run's network, retrying while the engine still detaches the last endpoints; a gone one is fine. */
export async function removeRunNetwork(network: Docker.Network): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await network.remove();
      return;
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return;
      if (attempt >= 20) throw err;
      await sleep(100);
    }
  }
}
