import type { ClusterTimeline } from "./cluster-timeline.js";

/** Who is who in a run's cluster: data nodes, failover managers, consensus members and clients, by name. */
export interface ClusterRoles {
  /** Data nodes (one leader at a time, the rest followers), in the order the run listed them. */
  nodes: string[];
  /** Failover managers: the processes that decide who leads. */
  managers: string[];
  /** Members of the consensus store the failover managers coordinate through, when the store has one. */
  consensus: string[];
  /** Routers that send clients to the leader (a proxy with health checks), when the store has them. */
  routers: string[];
  clients: string[];
}

/** What a name is in the run: `node`, `manager`, `consensus`, `router`, `client`, or `other` (not listed). */
export type RoleOf = (name: string) => "node" | "manager" | "consensus" | "router" | "client" | "other";

/**
 * The roles of a run's endpoints, from `config.json`'s `run.cluster` (each store records its nodes with a role
 * that starts with a neutral word — `data`, `failover-manager`, `consensus`, `router`, e.g. `consensus (etcd)` — and its
 * clients). Without it (a history checked on its own) the data nodes
 * are the names the monitor reported as leader or accepting writes, and nothing is known of the rest.
 *
 * @example
 * clusterRoles({ run: { cluster: { nodes: [{ name: "n1", role: "data" }], clients: ["c1"] } } }, tl);
 * // { nodes: ["n1"], managers: [], consensus: [], routers: [], clients: ["c1"] }
 */
export function clusterRoles(config: Record<string, unknown> | undefined, tl: ClusterTimeline): ClusterRoles {
  const run = record(config?.run);
  const cluster = record(run?.cluster);
  const roles: ClusterRoles = { nodes: [], managers: [], consensus: [], routers: [], clients: [] };
  if (cluster && Array.isArray(cluster.nodes)) {
    for (const n of cluster.nodes) {
      const r = record(n);
      if (typeof r?.name !== "string") continue;
      const role = typeof r.role === "string" ? r.role.split(/[\s(]/)[0] : undefined;
      if (role === "data") roles.nodes.push(r.name);
      else if (role === "failover-manager") roles.managers.push(r.name);
      else if (role === "consensus") roles.consensus.push(r.name);
      else if (role === "router") roles.routers.push(r.name);
    }
    // Clients as a list of names, or a record keyed by them (a store may record each client's listeners).
    const clients = Array.isArray(cluster.clients)
      ? cluster.clients
      : Object.keys(record(cluster.clients) ?? {});
    roles.clients.push(...clients.filter((c): c is string => typeof c === "string"));
  }
  if (roles.nodes.length === 0) {
    const seen = new Set<string>();
    for (const l of tl.leaders) if (l.leader !== null) seen.add(l.leader);
    for (const w of tl.writable) for (const n of w.nodes) seen.add(n);
    roles.nodes.push(...[...seen].sort(byName));
  }
  return roles;
}

/** A lookup of {@link ClusterRoles}. */
export function roleOf(roles: ClusterRoles): RoleOf {
  const map = new Map<string, ReturnType<RoleOf>>();
  for (const n of roles.nodes) map.set(n, "node");
  for (const m of roles.managers) map.set(m, "manager");
  for (const m of roles.consensus) map.set(m, "consensus");
  for (const m of roles.routers) map.set(m, "router");
  for (const c of roles.clients) map.set(c, "client");
  return (name) => map.get(name) ?? "other";
}

/** `n2` before `n10`. */
export function byName(a: string, b: string): number {
  return a.localeCompare(b, "en", { numeric: true });
}

function record(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === "object" && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}
