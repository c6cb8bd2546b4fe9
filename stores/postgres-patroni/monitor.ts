import pg from "pg";
import type { MonitorSink, StoreMonitor } from "../store.js";
import { parseClusterMembers, type PatroniMember } from "./cluster-status.js";
import type { Address } from "./plan.js";
import { patroniGet } from "./rest.js";

/** What the monitor watches: each data node's real SQL and REST listeners, and how to name a public port. */
export interface PgMonitorTarget {
  readonly nodes: readonly { name: string; sql: Address; rest: Address }[];
  /** The data node whose public (announced) SQL port is `port`, as a standby's `sender_port` names it. */
  nodeByPublicPort(port: number): string | undefined;
  /** The superuser the monitor connects as (trust on loopback). */
  readonly user: string;
}

/** One data node's answer to the monitor's query. */
export interface PgNodeSample {
  standby: boolean;
  /** `pg_current_wal_lsn()` on a primary, `pg_last_wal_replay_lsn()` on a standby, as bytes. */
  lsn: number | null;
  /** The WAL receiver's status (`streaming`, …) on a standby, `null` when it has none. */
  link: string | null;
  /** The public port the standby's WAL receiver is connected to. */
  senderPort: number | null;
}

const SAMPLE_SQL = `SELECT pg_is_in_recovery() AS standby,
  (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END)::text AS lsn,
  (SELECT status FROM pg_stat_wal_receiver LIMIT 1) AS link,
  (SELECT sender_port FROM pg_stat_wal_receiver LIMIT 1) AS sender_port`;

/** An LSN (`16/B374D848`) as a byte position, or `null`. */
export function lsnBytes(lsn: string | null | undefined): number | null {
  if (!lsn) return null;
  const m = /^([0-9A-F]+)\/([0-9A-F]+)$/i.exec(lsn);
  if (!m) return null;
  return parseInt(m[1]!, 16) * 2 ** 32 + parseInt(m[2]!, 16);
}

/**
 * One replication sample in the shape the report plots (`{ leader, offset, followers: { n2: { of, offset,
 * lagBytes, link } }, masters? }`): the primary most standbys stream from, its WAL position, and each standby's
 * replay position and lag behind that primary in bytes.
 */
export function replicationSample(
  samples: ReadonlyMap<string, PgNodeSample | undefined>,
  nodeByPublicPort: (port: number) => string | undefined,
): Record<string, unknown> {
  const primaries = [...samples].filter(([, s]) => s !== undefined && !s.standby).map(([n]) => n);
  const followers: Record<
    string,
    { of: string | null; offset: number; lagBytes: number | null; link: string }
  > = {};
  const votes = new Map<string, number>();
  for (const [node, s] of samples) {
    if (!s?.standby) continue;
    const of = s.senderPort === null ? null : (nodeByPublicPort(s.senderPort) ?? null);
    if (of !== null) votes.set(of, (votes.get(of) ?? 0) + 1);
    followers[node] = { of, offset: s.lsn ?? 0, lagBytes: null, link: s.link ?? "down" };
  }
  const leader =
    primaries.length <= 1
      ? (primaries[0] ?? null)
      : [...primaries].sort((a, b) => (votes.get(b) ?? 0) - (votes.get(a) ?? 0))[0]!;
  const offset = leader === null ? null : (samples.get(leader)?.lsn ?? null);
  for (const f of Object.values(followers)) {
    if (f.of !== null && f.of === leader && offset !== null) f.lagBytes = Math.max(0, offset - f.offset);
  }
  return { leader, offset, followers, ...(primaries.length > 1 ? { masters: primaries } : {}) };
}

/**
 * Patroni's view as store-neutral `manager-event`s: who holds the leader lock (`leader-switch`), a replica that
 * became leader (`promoted`), a leader whose role became a replica's (`demoted`), a member that left the DCS
 * (`suspects-down`: its key expired, the leader's included, whose PostgreSQL may still run) or came back
 * (`clears-down`), and timeline and state changes (`other`).
 */
export function memberEvents(
  before: readonly PatroniMember[],
  after: readonly PatroniMember[],
): { event: string; kind: string; node: string; text: string; from?: string; to?: string }[] {
  const out: { event: string; kind: string; node: string; text: string; from?: string; to?: string }[] = [];
  const old = new Map(before.map((m) => [m.name, m]));
  const now = new Map(after.map((m) => [m.name, m]));
  const leaderOf = (ms: readonly PatroniMember[]): string | undefined =>
    ms.find((m) => m.role === "leader" || m.role === "standby_leader")?.name;
  const l0 = leaderOf(before);
  const l1 = leaderOf(after);
  if (l0 !== l1 && l1 !== undefined) {
    out.push({
      event: "leader-key",
      kind: "leader-switch",
      node: l1,
      text: `Patroni leader lock: ${l0 ?? "nobody"} → ${l1}`,
      ...(l0 !== undefined ? { from: l0 } : {}),
      to: l1,
    });
  }
  for (const [name, m] of now) {
    const o = old.get(name);
    if (!o) {
      if (before.length > 0)
        out.push({ event: "member-up", kind: "clears-down", node: name, text: `${name} joined` });
      continue;
    }
    if (o.role !== m.role) {
      const promoted = m.role === "leader";
      const demoted = o.role === "leader";
      out.push({
        event: `role ${o.role}→${m.role}`,
        kind: promoted ? "promoted" : demoted ? "demoted" : "other",
        node: name,
        text: `${name}: ${o.role} → ${m.role}`,
      });
    }
    if (o.state !== m.state) {
      out.push({
        event: `state ${m.state}`,
        kind: "other",
        node: name,
        text: `${name}: ${o.state} → ${m.state}`,
      });
    }
    if (o.timeline !== undefined && m.timeline !== undefined && o.timeline !== m.timeline) {
      out.push({
        event: "timeline",
        kind: "other",
        node: name,
        text: `${name}: timeline ${o.timeline} → ${m.timeline}`,
      });
    }
  }
  for (const [name, o] of old) {
    if (now.has(name)) continue;
    // A key that expired says Patroni stopped renewing it, not that PostgreSQL stopped: a primary whose agent died
    // still runs and may still accept writes (the writable-leaders record tells). So never "demoted" here.
    out.push({
      event: "member-gone",
      kind: "suspects-down",
      node: name,
      text:
        o.role === "leader"
          ? `${name} left the cluster while holding the leader lock (its Patroni key in etcd expired or was removed; its PostgreSQL may still run)`
          : `${name} left the cluster (its Patroni key in etcd expired or was removed)`,
    });
  }
  return out;
}

/**
 * The PostgreSQL store's monitor. Every `pollMs` it asks Patroni's `/cluster` (on the first data node whose REST
 * API answers, through its real port, never the proxy) who holds the leader lock (`leader`, on change) and turns
 * changes of the members into `manager-event`s; it asks every PostgreSQL server directly whether it is a primary
 * (`writable-leaders`, on change: two is split brain, e.g. a primary whose Patroni was killed) and, every
 * `positionsEveryMs`, its WAL position (`replication-positions`: each standby's replay LSN and lag in bytes).
 */
export function startPgMonitor(
  target: PgMonitorTarget,
  sink: MonitorSink,
  options: { pollMs?: number; positionsEveryMs?: number } = {},
): StoreMonitor {
  const record = (f: string, value: unknown): void => {
    sink.append({ process: "monitor", type: "info", f, value });
  };
  const clients = new Map<string, pg.Client | undefined>();
  const sample = async (node: { name: string; sql: Address }): Promise<PgNodeSample | undefined> => {
    let c = clients.get(node.name);
    try {
      if (!c) {
        c = new pg.Client({
          host: node.sql.host,
          port: node.sql.port,
          user: target.user,
          database: "postgres",
          connectionTimeoutMillis: 1000,
          query_timeout: 1000,
          application_name: "faultline-monitor",
        });
        c.on("error", () => undefined);
        clients.set(node.name, c);
        await c.connect();
      }
      const r = await c.query<{
        standby: boolean;
        lsn: string | null;
        link: string | null;
        sender_port: number | null;
      }>(SAMPLE_SQL);
      const row = r.rows[0]!;
      return { standby: row.standby, lsn: lsnBytes(row.lsn), link: row.link, senderPort: row.sender_port };
    } catch {
      clients.delete(node.name);
      void c?.end().catch(() => undefined);
      return undefined;
    }
  };

  let leader: string | undefined;
  let writable: string[] = [];
  let lastLeader: string | null | undefined;
  let lastWritable: string | undefined;
  let members: PatroniMember[] = [];
  let lastPositions = -Infinity;
  let polling = false;
  const positionsEveryMs = options.positionsEveryMs ?? 500;
  const poll = async (): Promise<void> => {
    if (polling) return;
    polling = true;
    try {
      let now: PatroniMember[] | undefined;
      for (const n of target.nodes) {
        const r = await patroniGet(n.rest, "/cluster", 500);
        if (r?.status !== 200) continue;
        try {
          now = parseClusterMembers(r.body);
          break;
        } catch {
          // not a cluster body
        }
      }
      if (now) {
        for (const e of memberEvents(members, now)) record("manager-event", { manager: "patroni", ...e });
        members = now;
        leader = now.find((m) => m.role === "leader")?.name;
      } else {
        leader = undefined;
      }
      if ((leader ?? null) !== lastLeader) {
        lastLeader = leader ?? null;
        record("leader", lastLeader);
      }
      const samples = new Map(
        await Promise.all(target.nodes.map(async (n) => [n.name, await sample(n)] as const)),
      );
      const primaries = [...samples].filter(([, s]) => s !== undefined && !s.standby).map(([n]) => n);
      writable = primaries;
      if (primaries.join(",") !== lastWritable) {
        lastWritable = primaries.join(",");
        record("writable-leaders", primaries);
      }
      const t = performance.now();
      if (positionsEveryMs > 0 && t - lastPositions >= positionsEveryMs) {
        lastPositions = t;
        record(
          "replication-positions",
          replicationSample(samples, (p) => target.nodeByPublicPort(p)),
        );
      }
    } finally {
      polling = false;
    }
  };
  void poll();
  const timer = setInterval(() => void poll(), options.pollMs ?? 250);
  let stopped: Promise<void> | undefined;
  return {
    get leader() {
      return leader;
    },
    get writableLeaders() {
      return writable;
    },
    stop() {
      stopped ??= (async () => {
        clearInterval(timer);
        while (polling) await new Promise((r) => setTimeout(r, 10));
        await Promise.all([...clients.values()].map((c) => c?.end().catch(() => undefined)));
        clients.clear();
      })();
      return stopped;
    },
  };
}
