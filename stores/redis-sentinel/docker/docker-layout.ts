import { join } from "node:path";
import type { NodePlacement, NodeBackendRequest } from "../cluster/index.js";
import type { Address } from "../../../nemesis/network/index.js";
import { hostAddress } from "../../../core/backends/docker/index.js";

/** Inside each node's container: where its directory is mounted, and its listener's port. */
export const NODE_DIR = "/node";
export const DATA_PORT = 6379;
export const SENTINEL_PORT = 26379;
/** The proxy container's API port (faultline's proxy and Toxiproxy alike). */
export const PROXY_API_PORT = 8474;
/** The proxy container's address in the run's subnet (`.1` is the bridge's gateway on the host). */
export const PROXY_HOST_NUMBER = 2;

/** Every address of one run on the docker backend. */
export interface DockerLayout {
  subnet: string;
  proxyIp: string;
  nodes: NodePlacement[];
  /** Node name → its address in the subnet. */
  ips: Map<string, string>;
  /** Node name → the host port its listener is published on (127.0.0.1); empty when nothing is published. */
  adminPorts: Map<string, number>;
  /**
   * The proxy container's port → the host port it is published on (the API and every client listener); empty
   * when nothing is published.
   */
  proxyPorts: Map<number, number>;
  /** The container port of `client`'s listener for `node`. */
  clientPort(client: string, node: string): number;
  /** The harness's address of a published proxy port. */
  reachable(port: number): Address;
}

/**
 * Lays a run out in its subnet: the proxy at `.2`, data node `n<i>` at `.(10+i)`, failover manager `s<j>` at
 * `.(30+j)`; each node listens on the standard port of its kind on every address of its container; the proxy's
 * public listener for the `k`-th node is port `7001+k`, and client `c<i>`'s listener for the `k`-th node is
 * `10000 + 32·(i-1) + k`; nodes and the proxy talk over the bridge. With `hostPorts` (one per node, then the API,
 * then one per client listener: {@link hostPortCount}) the harness reaches nodes, the API and client listeners
 * only through those ports, published on 127.0.0.1, so its traffic stays on loopback: for an engine whose bridge
 * this machine does not hold. Without, it reaches them at their addresses in the subnet, and nothing is published
 * (the engine runs one port forwarder process per published port, which it starts and stops one at a time).
 */
export function dockerLayout(
  req: NodeBackendRequest,
  subnet: string,
  hostPorts?: readonly number[],
): DockerLayout {
  const names = [...req.dataNodes, ...req.failoverManagers];
  const proxyIp = hostAddress(subnet, PROXY_HOST_NUMBER);
  const ips = new Map<string, string>();
  const adminPorts = new Map<string, number>();
  const nodes: NodePlacement[] = names.map((name, k) => {
    const data = k < req.dataNodes.length;
    const ip = hostAddress(subnet, data ? 11 + k : 31 + (k - req.dataNodes.length));
    ips.set(name, ip);
    const real = { host: ip, port: data ? DATA_PORT : SENTINEL_PORT };
    if (hostPorts) adminPorts.set(name, hostPorts[k]!);
    return {
      name,
      role: data ? "data" : "failover-manager",
      admin: hostPorts ? { host: "127.0.0.1", port: hostPorts[k]! } : real,
      real,
      public: req.proxied ? { host: proxyIp, port: 7001 + k } : real,
      sourceAddress: ip,
      bind: "0.0.0.0",
      dir: join(req.runDir, "nodes", name),
      nodeDir: NODE_DIR,
    };
  });
  const index = new Map(names.map((n, k) => [n, k]));
  const clientIndex = new Map(req.clients.map((c, i) => [c, i]));
  const clientPort = (client: string, node: string): number => {
    const i = clientIndex.get(client);
    const k = index.get(node);
    if (i === undefined || k === undefined) throw new Error(`no listener for ${client} → ${node}`);
    return 10_000 + 32 * i + k;
  };
  const proxyPorts = new Map<number, number>();
  if (req.proxied && hostPorts) {
    let next = names.length;
    proxyPorts.set(PROXY_API_PORT, hostPorts[next++]!);
    for (const c of req.clients) for (const n of names) proxyPorts.set(clientPort(c, n), hostPorts[next++]!);
  }
  return {
    subnet,
    proxyIp,
    nodes,
    ips,
    adminPorts,
    proxyPorts,
    clientPort,
    reachable(port) {
      if (!hostPorts) return { host: proxyIp, port };
      const published = proxyPorts.get(port);
      if (published === undefined) throw new Error(`proxy port ${port} is not published`);
      return { host: "127.0.0.1", port: published };
    },
  };
}

/** How many host ports {@link dockerLayout} needs to publish everything the harness reaches. */
export function hostPortCount(req: NodeBackendRequest): number {
  const nodes = req.dataNodes.length + req.failoverManagers.length;
  return nodes + (req.proxied ? 1 + req.clients.length * nodes : 0);
}
