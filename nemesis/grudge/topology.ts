import { InputError } from "../../core/errors/index.js";

/**
 * Who takes part in a run, by name (`nemesis/proxy/EXTENSIONS.md`): data nodes `n1…nK` (one leader, the rest
 * followers), failover managers `s1…sM`, clients `c1…cN`. Grudges are computed over these names; which node
 * leads is passed separately, because it changes with every failover. The store's connection matrix says which
 * role may open a connection to which.
 */
export interface Topology {
  /** Data nodes, e.g. `["n1", "n2", "n3"]`. */
  readonly nodes: readonly string[];
  /** Failover managers, e.g. `["s1", "s2", "s3"]`. */
  readonly managers: readonly string[];
  /** Clients, e.g. `["c1", "c2", "c3"]`. */
  readonly clients: readonly string[];
  /**
   * The store's connection matrix: whether an endpoint of one role may ever open a connection to one of another
   * (`stores/`' `connects`). Default: clients and servers connect to every server, nobody to a client.
   */
  readonly connects?: (initiator: Role, acceptor: Role) => boolean;
}

/** What part an endpoint plays: data node, failover manager or client. */
export type Role = "node" | "manager" | "client";

/** Servers are the endpoints that accept connections: data nodes, then failover managers. */
export function servers(topology: Topology): string[] {
  return [...topology.nodes, ...topology.managers];
}

/** Every endpoint of a topology in its canonical order: data nodes, failover managers, clients. */
export function endpoints(topology: Topology): string[] {
  return [...topology.nodes, ...topology.managers, ...topology.clients];
}

/** The role of `name` in `topology`, or `undefined` when it takes no part in it. */
export function roleOf(topology: Topology, name: string): Role | undefined {
  if (topology.nodes.includes(name)) return "node";
  if (topology.managers.includes(name)) return "manager";
  if (topology.clients.includes(name)) return "client";
  return undefined;
}

/**
 * Throws an {@link InputError} unless `topology` has at least one data node and every name is non-empty and
 * unique across the three roles (a name is a proxy link endpoint, so two endpoints cannot share one).
 */
export function assertTopology(topology: Topology): void {
  if (topology.nodes.length === 0) {
    throw new InputError("BAD_TOPOLOGY", "a topology needs at least one data node", {
      details: { topology },
    });
  }
  const seen = new Set<string>();
  for (const name of endpoints(topology)) {
    if (name.length === 0 || seen.has(name)) {
      throw new InputError(
        "BAD_TOPOLOGY",
        `topology names must be unique and non-empty, got ${JSON.stringify(name)} twice or empty`,
        { details: { topology } },
      );
    }
    seen.add(name);
  }
}

/** Throws an {@link InputError} naming `what` unless `name` plays one of `roles` in `topology`. */
export function assertRole(topology: Topology, name: string, roles: readonly Role[], what: string): void {
  const role = roleOf(topology, name);
  if (role === undefined || !roles.includes(role)) {
    throw new InputError(
      "UNKNOWN_ENDPOINT",
      `${what} must be a ${roles.join(" or ")} of the topology, got ${JSON.stringify(name)}`,
      { details: { name, roles, topology } },
    );
  }
}
