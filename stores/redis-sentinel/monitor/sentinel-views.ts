import type { ManagerView } from "../../failover-evidence.js";

/** Sentinel's flat `[k1, v1, k2, v2, …]` reply of `SENTINEL MASTER <name>` as a record. */
export function flatRecord(reply: unknown): Record<string, string> {
  const rec: Record<string, string> = {};
  if (Array.isArray(reply)) {
    for (let i = 0; i + 1 < reply.length; i += 2) rec[String(reply[i])] = String(reply[i + 1]);
  }
  return rec;
}

const numberOrNull = (text: string | undefined): number | null =>
  text === undefined || text === "" || !Number.isFinite(Number(text)) ? null : Number(text);

/**
 * One Sentinel's view of the leader it watches, from its `SENTINEL MASTER` record (`flags`: `s_down`,
 * `o_down`; `last-ok-ping-reply`: ms since its last accepted PING reply; `last-ping-sent`: ms its oldest
 * unanswered PING has waited, 0 when none; `down-after-milliseconds`) and its `SENTINEL SENTINELS` records (a
 * peer's `master_down` flag is its last answer to `is-master-down-by-addr`, as this Sentinel holds it).
 *
 * @example
 * managerView({ ip: "127.0.0.1", port: "23091", flags: "master,s_down", "last-ok-ping-reply": "1034" }, [],
 *   (h, p) => (p === 23091 ? "n3" : undefined), null).suspectsDown; // true
 */
export function managerView(
  master: Readonly<Record<string, string>>,
  peers: readonly Readonly<Record<string, string>>[],
  nodeByPublic: (host: string, port: number) => string | undefined,
  switchedToLeaderMsBefore: number | null,
): ManagerView {
  const flags = (master.flags ?? "").split(",");
  const watching =
    master.ip !== undefined && master.port !== undefined
      ? (nodeByPublic(master.ip, Number(master.port)) ?? `${master.ip}:${master.port}`)
      : null;
  return {
    watching,
    suspectsDown: flags.includes("s_down"),
    agreesDown: flags.includes("o_down"),
    lastOkCheckMsAgo: numberOrNull(master["last-ok-ping-reply"]),
    checkPendingMs: numberOrNull(master["last-ping-sent"]),
    downAfterMs: numberOrNull(master["down-after-milliseconds"]),
    switchedToLeaderMsBefore,
    peersSayDown: peers
      .filter((p) => (p.flags ?? "").split(",").includes("master_down"))
      .map((p) => nodeByPublic(p.ip ?? "", Number(p.port)) ?? `${p.ip}:${p.port}`),
  };
}

/** A view for a manager that could not be asked. */
export function unknownView(error: string, switchedToLeaderMsBefore: number | null): ManagerView {
  return {
    watching: null,
    suspectsDown: false,
    agreesDown: false,
    lastOkCheckMsAgo: null,
    checkPendingMs: null,
    downAfterMs: null,
    switchedToLeaderMsBefore,
    peersSayDown: [],
    error,
  };
}
