import { existsSync } from "node:fs";
import type Docker from "dockerode";
import { FaultlineError } from "../../errors/index.js";
import { LABELS } from "./labels.js";
import { chooseSubnet, hostAddress } from "./subnet.js";

/** A run's own bridge network. */
export interface RunNetwork {
  name: string;
  subnet: string;
  network: Docker.Network;
  /**
   * Whether this machine holds the network's bridge interface (a local engine on Linux; not a remote engine, a
   * rootless one or Docker Desktop's virtual machine), so the harness reaches the containers at their addresses
   * in `subnet` without publishing ports.
   */
  onThisHost: boolean;
}

/**
 * Creates a run's user-defined bridge network `name` with a free `/24` of `pool` (see `chooseSubnet`), labelled
 * like everything of the run, its bridge interface named `name` too (at most 15 characters), so whether this
 * machine holds it is one look in `/sys/class/net` (`onThisHost`). IP masquerading is off: the containers talk to
 * each other and to the harness's host, never to anything beyond this machine. A subnet another run took in the
 * meantime is retried with the next choice.
 *
 * @example
 * const net = await createRunNetwork(docker, "fl-1a2b3c4d", labels);
 */
export async function createRunNetwork(
  docker: Docker,
  name: string,
  labels: Record<string, string>,
  pool?: string,
): Promise<RunNetwork> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const taken = (await docker.listNetworks()).flatMap((n) =>
      (n.IPAM?.Config ?? []).flatMap((c) => (c.Subnet ? [c.Subnet] : [])),
    );
    const subnet = chooseSubnet(taken, pool);
    try {
      const network = await docker.createNetwork({
        Name: name,
        Driver: "bridge",
        CheckDuplicate: true,
        Labels: { ...labels, [LABELS.role]: "network" },
        IPAM: { Driver: "default", Config: [{ Subnet: subnet, Gateway: hostAddress(subnet, 1) }] },
        Options: {
          "com.docker.network.bridge.enable_ip_masquerade": "false",
          ...(name.length <= 15 ? { "com.docker.network.bridge.name": name } : {}),
        },
      });
      return { name, subnet, network, onThisHost: bridgeOnThisHost(name) };
    } catch (err) {
      lastError = err;
      if (!/overlap/i.test((err as Error).message)) break;
    }
  }
  throw new FaultlineError(
    "DOCKER_NETWORK_FAILED",
    `cannot create the docker network ${name}: ${(lastError as Error).message}`,
    {
      details: { name, pool: pool ?? "10.213.0.0/16" },
      hint: "`docker network ls` shows the networks in use; `faultline cleanup` removes those of dead runs",
      cause: lastError,
    },
  );
}

/**
 * Whether the bridge interface `name` is one of this machine's (Linux's `/sys/class/net`). Node's
 * `networkInterfaces()` cannot tell: it omits an interface that is down, as a bridge is until a container joins.
 * An engine reached over the network (`DOCKER_HOST=tcp://…` or `ssh://…`) counts as remote whatever this machine
 * has: its containers are reached through published ports, the way a remote engine's must be.
 */
export function bridgeOnThisHost(name: string, dockerHost = process.env.DOCKER_HOST): boolean {
  if (engineOverNetwork(dockerHost)) return false;
  return process.platform === "linux" && name.length <= 15 && existsSync(`/sys/class/net/${name}`);
}

/** Whether `DOCKER_HOST` names an engine reached over the network (`tcp://`, `ssh://`, `http(s)://`). */
export function engineOverNetwork(dockerHost: string | undefined): boolean {
  return dockerHost !== undefined && /^(tcp|ssh|https?):\/\//i.test(dockerHost.trim());
}
