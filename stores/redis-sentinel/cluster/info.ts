/** The replication facts the harness reads from `INFO replication`. */
export interface ReplicationInfo {
  role: "master" | "slave" | string;
  /** Leader only: each connected follower as the leader sees it. */
  replicas: { ip: string; port: number; state: string; offset: number; lag: number }[];
  /** Follower only. */
  masterHost?: string;
  masterPort?: number;
  masterLinkStatus?: string;
  /** Whether the follower is still loading or syncing. */
  masterSyncInProgress?: boolean;
}

/** Parses `INFO` text into `field → value` (sections merged). */
export function parseInfo(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const i = line.indexOf(":");
    if (i > 0) out.set(line.slice(0, i), line.slice(i + 1));
  }
  return out;
}

/**
 * Reads the replication section: the role, the followers a leader lists (`slaveN:ip=…,port=…,state=online,…`)
 * and a follower's link to its leader.
 *
 * @example
 * parseReplication("role:master\r\nslave0:ip=127.0.0.1,port=27302,state=online,offset=42,lag=0\r\n").replicas[0].port; // 27302
 */
export function parseReplication(text: string): ReplicationInfo {
  const info = parseInfo(text);
  const replicas: ReplicationInfo["replicas"] = [];
  for (const [k, v] of info) {
    if (!/^slave\d+$/.test(k)) continue;
    const f = Object.fromEntries(v.split(",").map((kv) => kv.split("=") as [string, string]));
    replicas.push({
      ip: f.ip ?? "",
      port: Number(f.port),
      state: f.state ?? "",
      offset: Number(f.offset ?? 0),
      lag: Number(f.lag ?? 0),
    });
  }
  const r: ReplicationInfo = { role: info.get("role") ?? "unknown", replicas };
  if (info.has("master_host")) r.masterHost = info.get("master_host");
  if (info.has("master_port")) r.masterPort = Number(info.get("master_port"));
  if (info.has("master_link_status")) r.masterLinkStatus = info.get("master_link_status");
  if (info.has("master_sync_in_progress"))
    r.masterSyncInProgress = info.get("master_sync_in_progress") === "1";
  return r;
}

/** Turns Sentinel's flat `[k1, v1, k2, v2, …]` replies (`SENTINEL replicas|sentinels`) into records. */
export function sentinelRecords(reply: unknown): Record<string, string>[] {
  if (!Array.isArray(reply)) return [];
  return reply.map((entry) => {
    const rec: Record<string, string> = {};
    if (Array.isArray(entry)) {
      for (let i = 0; i + 1 < entry.length; i += 2) rec[String(entry[i])] = String(entry[i + 1]);
    } else if (entry && typeof entry === "object") {
      for (const [k, v] of Object.entries(entry as Record<string, unknown>)) rec[k] = String(v);
    }
    return rec;
  });
}

/** True when Sentinel flags (`slave,s_down,disconnected`) say the instance is healthy. */
export function healthyFlags(flags: string | undefined): boolean {
  if (flags === undefined) return false;
  return !flags.split(",").some((f) => f === "s_down" || f === "o_down" || f === "disconnected");
}
