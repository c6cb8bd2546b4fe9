import type { LinkDelayable, LinkToxicable, Partitionable } from "../../core/cluster/index.js";

/** A TCP address. */
export interface Address {
  host: string;
  port: number;
}

/** What the network must carry: every server node (real listener, source address) and every client. */
export interface NetworkPlan {
  /**
   * `publicPort`: where the node's proxy listener must listen (chosen up front so configs can name it);
   * `reachable`: the harness's own address for the real listener when it is not `real` (a container's
   * published port), which a direct network gives the clients.
   */
  nodes: readonly {
    /** The listener's proxy name (a node's name, or `<node>-<what>` for a node's second listener). */
    name: string;
    real: Address;
    sourceAddress: string;
    publicPort?: number;
    reachable?: Address;
    /**
     * The node the listener belongs to, when it is not `name` (a node with several listeners: PostgreSQL and
     * Patroni's REST API): link rules name nodes, so every listener of a node is the same destination.
     */
    destination?: string;
    /** Whether clients get their own listener for it (default true; false for a node's non-client listeners). */
    clients?: boolean;
  }[];
  clients: readonly string[];
  /** Where the proxy's listeners bind and how the harness reaches them, when not on loopback. */
  listeners?: ProxyListeners;
}

/**
 * Proxy listeners that are not on the harness's loopback (the docker backend: the proxy runs in a container,
 * its listeners bind every address there and the harness reaches the clients' ones through published ports).
 */
export interface ProxyListeners {
  /** The address every listener binds (`0.0.0.0` inside a container). */
  host: string;
  /** The fixed port of `client`'s listener for `node` (a container publishes it before the proxy starts). */
  clientPort(client: string, node: string): number;
  /** The harness's address for the listener on `port`. */
  reachable(port: number): Address;
}

/**
 * How nodes and clients reach each other. With the proxy, every node has a public address (a proxy
 * listener) and every client its own listener per node, so any link can be cut on its own; without it
 * (`direct`), everyone uses the real listeners and nothing can be cut.
 */
export interface Network {
  readonly kind: "proxy" | "direct";
  /** The address everyone else uses for `node`. */
  publicAddress(node: string): Address;
  /** The address `client` uses for `node`. */
  clientAddress(client: string, node: string): Address;
  /** Link faults (cuts, latency, any toxic), when the network can express them. */
  readonly links: (Partitionable & LinkDelayable & LinkToxicable) | undefined;
  /** Resolves once every client listener exists and knows its client (wired while the cluster starts). */
  ready(): Promise<void>;
  /** Where the proxy's API is, for tools and messages (`undefined` for `direct`). */
  readonly apiUrl: string | undefined;
  /** What the proxy server is (its `GET /version`): faultline's, or a plain Toxiproxy (`undefined` for `direct`). */
  readonly proxyServer: "faultline" | "toxiproxy" | undefined;
  /**
   * Makes the proxy tell a connection's sender by the process that owns its other end (the nearest process whose
   * environment carries `envKey=<node>`; past `timeoutMs` a connection's source is `unknown`), for stores whose
   * processes cannot choose their source address; absent
   * where the proxy cannot (a plain Toxiproxy, another host).
   */
  resolveSourcesByOwner?(options: { runId: string; envKey: string; timeoutMs?: number }): Promise<void>;
  /** Removes every listener and stops the proxy. Idempotent. */
  stop(): Promise<void>;
}
