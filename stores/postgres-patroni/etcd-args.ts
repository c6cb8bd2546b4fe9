import { join } from "node:path";
import { httpUrl, type EtcdMemberPlan, type PgClusterPlan } from "./plan.js";

/**
 * The command-line flags of one etcd 3.4 member of a new cluster: it binds its real ports and advertises its
 * public ones; `--initial-cluster` names every member's public peer URL, so peers dial each other through
 * whatever `public` points at (the proxy, once wired). All members must be given the same list: a member's id
 * is a hash of its peer URLs and the cluster token, so per-member variants of the list would make each member
 * compute a different cluster (checked in etcd's bootstrap, "cluster ID mismatch").
 */
export function etcdArgs(member: EtcdMemberPlan, plan: PgClusterPlan): string[] {
  const initialCluster = plan.etcd.map((m) => `${m.name}=${httpUrl(m.peer.public)}`).join(",");
  return [
    "--name",
    member.name,
    "--data-dir",
    join(member.dir, "data"),
    "--listen-client-urls",
    httpUrl(member.client.real),
    "--advertise-client-urls",
    httpUrl(member.client.public),
    "--listen-peer-urls",
    httpUrl(member.peer.real),
    "--initial-advertise-peer-urls",
    httpUrl(member.peer.public),
    "--initial-cluster",
    initialCluster,
    "--initial-cluster-state",
    "new",
    "--initial-cluster-token",
    plan.scope,
    // Fast Raft so a lost etcd leader is replaced within about a second (defaults: 100 ms / 1000 ms).
    "--heartbeat-interval",
    "100",
    "--election-timeout",
    "1000",
  ];
}
