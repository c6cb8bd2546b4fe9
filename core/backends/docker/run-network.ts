import type Docker from "dockerode";
import { FaultlineError } from "../../errors/index.js";
import { LABELS } from "./labels.js";
import { chooseSubnet, hostAddress } from "./subnet.js";

/** A run's own bridge network. */
export interface RunNetwork {
  name: string;
  subnet: string;
  network: Docker.Network;
}

/**
 * Creates a run's user-defined bridge network `name` with a free `/24` of `pool` (see `chooseSubnet`), labelled
 * like everything of the run. IP masquerading is off: the containers talk to each other and are reached through
 * ports published on the host's loopback, never to anything beyond this machine. A subnet another run took in
 * the meantime is retried with the next choice.
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
        Options: { "com.docker.network.bridge.enable_ip_masquerade": "false" },
      });
      return { name, subnet, network };
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
