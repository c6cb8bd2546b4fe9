import type { AdminConnections } from "./admin-connections.js";
import { healthyFlags, parseReplication, sentinelRecords } from "./info.js";

/** What a health probe needs to know about the cluster's shape. */
export interface ClusterShape {
  masterName: string;
  dataNodes: readonly string[];
  sentinels: readonly string[];
  /** `"127.0.0.1:<public port>"` → node name. */
  nodeByPublic: (host: string, port: number) => string | undefined;
}

/** A probe's answer: healthy with a leader, or not yet, with why (for the timeout message). */
export type HealthProbe = { ok: true; leader: string } | { ok: false; reason: string };

/**
 * Asks every Sentinel who the leader is (`SENTINEL get-master-addr-by-name`) and returns the node a strict
 * majority of **all** Sentinels names, or `undefined`. Sentinels that do not answer count against the majority.
 */
export async function sentinelLeader(
  admin: AdminConnections,
  shape: ClusterShape,
): Promise<string | undefined> {
  const votes = await sentinelLeaderVotes(admin, shape);
  const counts = new Map<string, number>();
  for (const v of votes.values()) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
  for (const [node, n] of counts) if (n > shape.sentinels.length / 2) return node;
  return undefined;
}

/** Each Sentinel's answer to "who leads?" (`undefined` when it did not answer or named an unknown address). */
export async function sentinelLeaderVotes(
  admin: AdminConnections,
  shape: ClusterShape,
): Promise<Map<string, string | undefined>> {
  const answers = await Promise.all(
    shape.sentinels.map(async (s) => {
      try {
        const r = (await admin.command(
          s,
          "SENTINEL",
          "get-master-addr-by-name",
          shape.masterName,
        )) as unknown;
        if (!Array.isArray(r) || r.length < 2) return [s, undefined] as const;
        return [s, shape.nodeByPublic(String(r[0]), Number(r[1]))] as const;
      } catch {
        return [s, undefined] as const;
      }
    }),
  );
  return new Map(answers);
}

/**
 * One health check (DESIGN's "really ready", and the final phase's "recovered"): every Sentinel that answers
 * names the same leader and they are a majority; that leader says `role:master` and lists every other data node
 * as an `online` follower; each follower says its link to that leader is up; and, when `probeWrite` is set, the
 * leader accepts a write.
 */
export async function probeHealth(
  admin: AdminConnections,
  shape: ClusterShape,
  options: { probeWrite?: boolean; sentinelsSeeEverything?: boolean } = {},
): Promise<HealthProbe> {
  const votes = await sentinelLeaderVotes(admin, shape);
  const named = [...votes.values()].filter((v): v is string => v !== undefined);
  const distinct = new Set(named);
  if (distinct.size !== 1 || named.length <= shape.sentinels.length / 2) {
    return { ok: false, reason: `failover managers disagree on the leader: ${fmtVotes(votes)}` };
  }
  const leader = named[0]!;
  const followers = shape.dataNodes.filter((n) => n !== leader);
  let repl;
  try {
    repl = parseReplication((await admin.command(leader, "INFO", "replication")) as string);
  } catch (err) {
    return { ok: false, reason: `leader ${leader} does not answer INFO: ${(err as Error).message}` };
  }
  if (repl.role !== "master")
    return { ok: false, reason: `${leader} is named leader but says role:${repl.role}` };
  const online = new Set(
    repl.replicas.filter((r) => r.state === "online").map((r) => shape.nodeByPublic(r.ip, r.port)),
  );
  const missing = followers.filter((f) => !online.has(f));
  if (missing.length > 0)
    return { ok: false, reason: `leader ${leader} lacks online followers: ${missing.join(", ")}` };
  for (const f of followers) {
    let fr;
    try {
      fr = parseReplication((await admin.command(f, "INFO", "replication")) as string);
    } catch (err) {
      return { ok: false, reason: `follower ${f} does not answer INFO: ${(err as Error).message}` };
    }
    const of =
      fr.masterHost !== undefined ? shape.nodeByPublic(fr.masterHost, fr.masterPort ?? 0) : undefined;
    if (fr.role !== "slave" || of !== leader || fr.masterLinkStatus !== "up" || fr.masterSyncInProgress) {
      return {
        ok: false,
        reason: `follower ${f} is not in sync with ${leader} (role:${fr.role}, of:${of ?? "?"}, link:${fr.masterLinkStatus ?? "?"})`,
      };
    }
  }
  if (options.sentinelsSeeEverything) {
    for (const s of shape.sentinels) {
      const problem = await sentinelBlindSpot(admin, shape, s, followers.length);
      if (problem) return { ok: false, reason: problem };
    }
  }
  if (options.probeWrite) {
    try {
      await admin.command(leader, "SET", "faultline:health-probe", String(Date.now()));
    } catch (err) {
      return { ok: false, reason: `leader ${leader} refuses writes: ${(err as Error).message}` };
    }
  }
  return { ok: true, leader };
}

/** Why Sentinel `s` does not yet see every follower and every peer as healthy, or `undefined` if it does. */
async function sentinelBlindSpot(
  admin: AdminConnections,
  shape: ClusterShape,
  s: string,
  followers: number,
): Promise<string | undefined> {
  try {
    const replicas = sentinelRecords(await admin.command(s, "SENTINEL", "replicas", shape.masterName));
    const okReplicas = replicas.filter((r) => healthyFlags(r.flags) && r["master-link-status"] === "ok");
    if (okReplicas.length < followers) {
      return `failover manager ${s} sees ${okReplicas.length} of ${followers} followers in sync`;
    }
    const peers = sentinelRecords(await admin.command(s, "SENTINEL", "sentinels", shape.masterName));
    const okPeers = peers.filter((p) => healthyFlags(p.flags));
    if (okPeers.length < shape.sentinels.length - 1) {
      return `failover manager ${s} sees ${okPeers.length} of ${shape.sentinels.length - 1} peers`;
    }
    return undefined;
  } catch (err) {
    return `failover manager ${s} does not answer: ${(err as Error).message}`;
  }
}

function fmtVotes(votes: Map<string, string | undefined>): string {
  return [...votes].map(([s, v]) => `${s}→${v ?? "?"}`).join(" ");
}
