import type { Address } from "./plan.js";

/** What one etcd member says of itself and of its Raft leader (`POST /v3/maintenance/status`). */
export interface EtcdStatus {
  /** The member asked (its faultline name, `s1`…). */
  readonly name: string;
  /** Its own member id, as etcd's JSON gateway writes uint64s: a decimal string. */
  readonly memberId: string;
  /** The member id it follows as Raft leader (its own when it leads); `"0"` when it knows none. */
  readonly leaderId: string;
}

/** One member's status body as {@link EtcdStatus}, or `undefined` when it is not one. */
export function parseEtcdStatus(name: string, body: unknown): EtcdStatus | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const b = body as { header?: { member_id?: unknown }; leader?: unknown };
  const memberId = b.header?.member_id;
  const leaderId = b.leader;
  if (typeof memberId !== "string" || typeof leaderId !== "string") return undefined;
  return { name, memberId, leaderId };
}

/**
 * The etcd leader by name: the member id a majority of all `members` name as their leader, named by the member
 * whose own id it is. `undefined` when no majority agrees (an election, a partitioned cluster) or when the
 * leader itself did not answer (it cannot be named then, and is not running for a fault to act on).
 *
 * @example
 * etcdLeaderOf([{ name: "s1", memberId: "7", leaderId: "9" }, { name: "s2", memberId: "9", leaderId: "9" }], 3); // "s2"
 */
export function etcdLeaderOf(statuses: readonly EtcdStatus[], members: number): string | undefined {
  const votes = new Map<string, number>();
  for (const s of statuses) {
    if (s.leaderId === "0") continue;
    votes.set(s.leaderId, (votes.get(s.leaderId) ?? 0) + 1);
  }
  const majority = Math.floor(members / 2) + 1;
  const id = [...votes].find(([, n]) => n >= majority)?.[0];
  return id === undefined ? undefined : statuses.find((s) => s.memberId === id)?.name;
}

/**
 * Asks every member on its real client listener (the harness's own connection, never through the proxy) for its
 * status, and names the leader a majority of the members follow ({@link etcdLeaderOf}).
 */
export async function askEtcdLeader(
  members: readonly { name: string; client: Address }[],
  timeoutMs = 1000,
): Promise<string | undefined> {
  const statuses = await Promise.all(
    members.map(async (m) => {
      try {
        const res = await fetch(`http://${m.client.host}:${m.client.port}/v3/maintenance/status`, {
          method: "POST",
          body: "{}",
          signal: AbortSignal.timeout(timeoutMs),
        });
        return res.ok ? parseEtcdStatus(m.name, await res.json()) : undefined;
      } catch {
        return undefined;
      }
    }),
  );
  return etcdLeaderOf(
    statuses.filter((s) => s !== undefined),
    members.length,
  );
}
