import { z } from "zod";

/** One member of `GET /cluster` (Patroni 3.0). */
export interface PatroniMember {
  name: string;
  /** `leader`, `replica`, `sync_standby` (later Patroni versions), `standby_leader`. */
  role: string;
  /** `running`, `starting`, `stopped`, `crashed`, `restarting`, … (3.0 says `running` for a streaming standby). */
  state: string;
  host: string;
  port: number;
  timeline?: number;
  /** Bytes behind the leader as Patroni last saw it; `"unknown"` when it cannot tell. */
  lag?: number | "unknown";
}

const memberSchema = z.object({
  name: z.string(),
  role: z.string(),
  state: z.string(),
  host: z.string(),
  port: z.number(),
  timeline: z.number().optional(),
  lag: z.union([z.number(), z.literal("unknown")]).optional(),
});
const clusterSchema = z.object({ members: z.array(memberSchema) });
const leaderStatusSchema = z.object({
  state: z.string(),
  role: z.string(),
  timeline: z.number().optional(),
  replication: z
    .array(z.object({ application_name: z.string(), state: z.string(), sync_state: z.string() }))
    .optional(),
});

/** Parses a `GET /cluster` body; throws (zod) on anything else. */
export function parseClusterMembers(body: unknown): PatroniMember[] {
  return clusterSchema.parse(body).members;
}

/** Where a cluster stands on its way to ready. */
export type ClusterReadiness =
  | {
      ready: true;
      leader: string;
      timeline: number | undefined;
      /** Standbys streaming from the leader, with their `sync_state` (`async`, `sync`, `potential`, `quorum`). */
      streaming: { name: string; syncState: string }[];
    }
  | { ready: false; leader: string | undefined; reason: string };

/**
 * Whether the cluster is ready: exactly one member is `leader` and `running`, its own status (`GET /patroni` on
 * the leader) says it runs as the primary, and every other expected member appears in the leader's
 * `pg_stat_replication` (the `replication` list of `/patroni`) in state `streaming`. Patroni 3.0's `/cluster`
 * alone is not enough: it reports a standby as `running` with `lag: 0` before its WAL receiver has connected
 * (seen while measuring, docs/stores/postgres-patroni.md).
 */
export function clusterReadiness(
  clusterBody: unknown,
  leaderStatusBody: unknown,
  expected: readonly string[],
): ClusterReadiness {
  const members = parseClusterMembers(clusterBody);
  const leaders = members.filter((m) => m.role === "leader");
  if (leaders.length !== 1) {
    return { ready: false, leader: undefined, reason: `${leaders.length} members report leader` };
  }
  const leader = leaders[0]!;
  if (leader.state !== "running") {
    return { ready: false, leader: leader.name, reason: `leader ${leader.name} is ${leader.state}` };
  }
  const status = leaderStatusSchema.safeParse(leaderStatusBody);
  if (!status.success) {
    return { ready: false, leader: leader.name, reason: `no status from leader ${leader.name}` };
  }
  // Patroni 3.0 says "master"; later versions say "primary".
  if (status.data.role !== "master" && status.data.role !== "primary") {
    return { ready: false, leader: leader.name, reason: `leader ${leader.name} runs as ${status.data.role}` };
  }
  const replication = status.data.replication ?? [];
  const missing = expected.filter(
    (n) => n !== leader.name && !replication.some((r) => r.application_name === n && r.state === "streaming"),
  );
  if (missing.length > 0) {
    return { ready: false, leader: leader.name, reason: `not streaming yet: ${missing.join(", ")}` };
  }
  return {
    ready: true,
    leader: leader.name,
    timeline: status.data.timeline,
    streaming: replication
      .filter((r) => r.state === "streaming")
      .map((r) => ({ name: r.application_name, syncState: r.sync_state })),
  };
}
