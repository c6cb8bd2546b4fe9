import { join } from "node:path";

/** A host and port. */
export interface Address {
  host: string;
  port: number;
}

/**
 * Where one listener is: `real` is what the process binds, `public` what it tells others (its announced
 * address). They differ when the fault proxy sits in between (public = a proxy listener); in a direct cluster
 * they are equal.
 */
export interface Listener {
  real: Address;
  public: Address;
}

/** One etcd member of the consensus store. */
export interface EtcdMemberPlan {
  name: string;
  dir: string;
  client: Listener;
  peer: Listener;
}

/** One data node: a PostgreSQL server and the Patroni agent that manages it. */
export interface PgNodePlan {
  name: string;
  /** The node's directory (Patroni config, logs); `dataDir` is inside it. */
  dir: string;
  dataDir: string;
  postgres: Listener;
  /** Patroni's REST API (health checks, `/cluster`). */
  rest: Listener;
}

/** Every process of one cluster and where it listens. */
export interface PgClusterPlan {
  /** Patroni's `scope`: the cluster's name in the DCS (`/service/<scope>/…`). */
  scope: string;
  etcd: EtcdMemberPlan[];
  nodes: PgNodePlan[];
}

/**
 * Lays out a cluster of `nodes` PostgreSQL + Patroni pairs and `etcdMembers` etcd members under
 * `<runDir>/nodes/<name>/` (names `pg1…`, `etcd1…`), taking real ports from `ports` in order (etcd client, etcd
 * peer per member, then PostgreSQL, REST per node: `2 × (etcdMembers + nodes)` ports). Pure; public addresses
 * equal the real ones (a direct cluster) until the proxy is wired in.
 */
export function planCluster(options: {
  runDir: string;
  nodes: number;
  etcdMembers: number;
  ports: readonly number[];
  scope?: string;
  host?: string;
  /** Name prefixes: data nodes `<node>1…` (default `pg`), etcd members `<etcd>1…` (default `etcd`). */
  prefixes?: { node: string; etcd: string };
}): PgClusterPlan {
  const need = 2 * (options.nodes + options.etcdMembers);
  if (options.ports.length < need) {
    throw new RangeError(`planCluster needs ${need} ports, got ${options.ports.length}`);
  }
  const host = options.host ?? "127.0.0.1";
  let next = 0;
  const listener = (): Listener => {
    const a = { host, port: options.ports[next++]! };
    return { real: a, public: { ...a } };
  };
  const etcd = Array.from({ length: options.etcdMembers }, (_, i) => {
    const name = `${options.prefixes?.etcd ?? "etcd"}${i + 1}`;
    return { name, dir: join(options.runDir, "nodes", name), client: listener(), peer: listener() };
  });
  const nodes = Array.from({ length: options.nodes }, (_, i) => {
    const name = `${options.prefixes?.node ?? "pg"}${i + 1}`;
    const dir = join(options.runDir, "nodes", name);
    return { name, dir, dataDir: join(dir, "data"), postgres: listener(), rest: listener() };
  });
  return { scope: options.scope ?? "faultline", etcd, nodes };
}

/** `http://host:port`. */
export function httpUrl(a: Address): string {
  return `http://${a.host}:${a.port}`;
}
