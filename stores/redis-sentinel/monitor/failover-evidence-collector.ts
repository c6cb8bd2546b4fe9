import type { FailoverEvidence, LeaderCheck, ManagerView } from "../../failover-evidence.js";
import type { AdminConnections } from "../cluster/index.js";
import { sentinelRecords } from "../cluster/index.js";
import { errText } from "../cluster/err-text.js";
import { explainFailover } from "./explain-failover.js";
import { proxyLinkView, type ProxyProbe } from "./proxy-probe.js";
import { flatRecord, managerView, unknownView } from "./sentinel-views.js";

/** What the collector needs of the cluster. */
export interface EvidenceTarget {
  readonly managers: readonly string[];
  readonly masterName: string;
  readonly admin: AdminConnections;
  nodeByPublic(host: string, port: number): string | undefined;
  readonly proxy?: ProxyProbe | undefined;
}

/** Feeds Sentinel events in; records a `failover-evidence` value per failover. */
export interface FailoverEvidenceCollector {
  /** One Sentinel event as the monitor described it (`describeEvent`). */
  onEvent(manager: string, value: Readonly<Record<string, unknown>>): void;
  /** Records what is pending now, without waiting for more votes. */
  flush(): Promise<void>;
}

/** How long after `+try-failover` the collector waits for the votes of the epoch before recording. */
const VOTE_WAIT_MS = 1_000;

/**
 * Collects the evidence of each failover (`FailoverEvidence`). It remembers, per Sentinel, when it switched to
 * which leader (`+switch-master`), when it suspected a leader down (`+sdown`) and agreed (`+odown`, with its
 * quorum), and each `+vote-for-leader`. On `+try-failover` it asks at once: every Sentinel's `SENTINEL MASTER`
 * (its view of the leader: flags, last accepted PING, pending PING, down-after), the starting Sentinel's
 * `SENTINEL SENTINELS` (which peers' answers said down), the leader itself (`INFO server` over the harness's
 * direct connection: does it answer, and since when is it up) and the proxy (faults, the Sentinel's live connections to the leader, recent changes). It records
 * once the epoch's votes are in (or after {@link VOTE_WAIT_MS}), with {@link explainFailover}'s explanation.
 *
 * @example
 * const evidence = failoverEvidenceCollector(target, (v) => record("failover-evidence", v));
 * sub.on("pmessage", (_p, ch, msg) => evidence.onEvent("s1", describeEvent("s1", ch, msg, target)));
 */
export function failoverEvidenceCollector(
  target: EvidenceTarget,
  record: (value: FailoverEvidence) => void,
  now: () => number = Date.now,
): FailoverEvidenceCollector {
  const switched = new Map<string, { to: string; at: number }>();
  const suspected = new Map<string, number>();
  const agreed = new Map<string, { at: number; quorum: string | null }>();
  const epochOf = new Map<string, number>();
  const votes = new Map<number, Map<string, string>>();
  const runIds = new Map<string, string>();
  const pending = new Set<Promise<void>>();
  const wakers = new Set<() => void>();
  const flushers = new Set<() => void>();

  /** Resolves when `enough()` holds (checked on every vote), after {@link VOTE_WAIT_MS}, or on flush. */
  const waitFor = (enough: () => boolean): Promise<void> =>
    new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        wakers.delete(wake);
        flushers.delete(done);
        resolve();
      };
      const wake = (): void => {
        if (enough()) done();
      };
      const timer = setTimeout(done, VOTE_WAIT_MS);
      wakers.add(wake);
      flushers.add(done);
      wake();
    });

  const nameOfRunId = async (runId: string): Promise<string | null> => {
    if (!runIds.has(runId)) {
      await Promise.all(
        target.managers.map(async (m) => {
          try {
            runIds.set(String(await target.admin.command(m, "SENTINEL", "MYID")), m);
          } catch {
            // a Sentinel that does not answer now is named by its id
          }
        }),
      );
    }
    return runIds.get(runId) ?? runId;
  };

  const leaderCheck = async (leader: string): Promise<LeaderCheck> => {
    const t0 = performance.now();
    try {
      const info = String(await target.admin.command(leader, "INFO", "server"));
      const up = /uptime_in_seconds:(\d+)/.exec(info)?.[1];
      return {
        answered: true,
        ms: round(performance.now() - t0),
        ...(up !== undefined ? { upSeconds: Number(up) } : {}),
      };
    } catch (err) {
      // ioredis rejects at once while it has no connection (refused or closed: nothing listens); a node that
      // is there but silent (paused) times out instead.
      const text = errText(err);
      const error = /max retries per request/i.test(text) ? "not connected: refused or closed" : text;
      return { answered: false, ms: round(performance.now() - t0), error };
    }
  };

  const viewOf = async (
    manager: string,
    leader: string,
    at: number,
    withPeers: boolean,
  ): Promise<ManagerView> => {
    const sw = switched.get(manager);
    const since = sw && sw.to === leader ? at - sw.at : null;
    try {
      const master = flatRecord(await target.admin.command(manager, "SENTINEL", "MASTER", target.masterName));
      const peers = withPeers
        ? sentinelRecords(await target.admin.command(manager, "SENTINEL", "SENTINELS", target.masterName))
        : [];
      return managerView(master, peers, (h, p) => target.nodeByPublic(h, p), since);
    } catch (err) {
      return unknownView(errText(err), since);
    }
  };

  const collect = async (manager: string, leader: string, at: number): Promise<void> => {
    const term = epochOf.get(manager) ?? null;
    const [views, check, proxy] = await Promise.all([
      Promise.all(target.managers.map(async (m) => [m, await viewOf(m, leader, at, m === manager)] as const)),
      leaderCheck(leader),
      target.proxy ? proxyLinkView(target.proxy, manager, leader, now()) : Promise.resolve(null),
    ]);
    if (term !== null) await waitFor(() => (votes.get(term)?.size ?? 0) >= target.managers.length);
    const byVoter: Record<string, string | null> = {};
    for (const m of target.managers) {
      const runId = term === null ? undefined : votes.get(term)?.get(m);
      byVoter[m] = runId === undefined ? null : await nameOfRunId(runId);
    }
    const s = suspected.get(`${manager}/${leader}`);
    const a = agreed.get(`${manager}/${leader}`);
    const evidence = {
      term,
      manager,
      leader,
      agreedDownMsAfterSuspecting: s !== undefined && a !== undefined ? Math.max(0, a.at - s) : null,
      quorum: a?.quorum ?? null,
      managers: Object.fromEntries(views),
      votes: byVoter,
      leaderCheck: check,
      proxy,
    };
    record({ ...evidence, ...explainFailover(evidence) });
  };
  return {
    onEvent(manager, value) {
      const event = String(value.event ?? "");
      const node = typeof value.node === "string" ? value.node : undefined;
      const text = String(value.text ?? "");
      const at = now();
      const isMaster = text.startsWith("master ");
      if (event === "+switch-master" && typeof value.to === "string")
        switched.set(manager, { to: value.to, at });
      else if (event === "+sdown" && isMaster && node) suspected.set(`${manager}/${node}`, at);
      else if (event === "+odown" && node)
        agreed.set(`${manager}/${node}`, { at, quorum: /#quorum (\S+)/.exec(text)?.[1] ?? null });
      else if (event === "+new-epoch" && /^\d+$/.test(text)) epochOf.set(manager, Number(text));
      else if (event === "+vote-for-leader") {
        const [runId, epoch] = text.split(" ");
        if (runId && epoch && /^\d+$/.test(epoch)) {
          const e = Number(epoch);
          if (!votes.has(e)) votes.set(e, new Map());
          votes.get(e)!.set(manager, runId);
          for (const w of [...wakers]) w();
        }
      } else if (event === "+try-failover" && node) {
        const p = collect(manager, node, at).catch(() => undefined);
        pending.add(p);
        void p.finally(() => pending.delete(p));
      }
    },
    async flush() {
      for (const f of [...flushers]) f();
      await Promise.all([...pending]);
    },
  };
}

const round = (ms: number): number => Math.round(ms * 10) / 10;
