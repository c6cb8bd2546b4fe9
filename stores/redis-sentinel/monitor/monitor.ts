import { Redis } from "ioredis";
import type { NodeInfo } from "../../../core/cluster/index.js";
import type { MonitorSink, StoreMonitor } from "../../store.js";
import { MONITOR_CONNECTION_NAME } from "./await-attached.js";
import { replicationOffsets } from "./replication-offsets.js";
import { failoverEvidenceCollector } from "./failover-evidence-collector.js";
import type { ProxyProbe } from "./proxy-probe.js";
import {
  parseReplication,
  sentinelLeaderVotes,
  type AdminConnections,
  type ClusterShape,
} from "../cluster/index.js";

/** What the monitor needs: where the Sentinels really listen, and how to ask the cluster questions. */
export interface MonitorTarget {
  readonly nodes: readonly NodeInfo[];
  readonly masterName: string;
  readonly admin: AdminConnections;
  nodeByPublic(host: string, port: number): string | undefined;
}

/** The harness's live view of the cluster, kept by the monitor (`writableLeaders`: nodes that say `role:master`). */
export type Monitor = StoreMonitor;

/**
 * Sentinel's events in the store-neutral kinds the report reads (`manager-event`'s `kind`); the rest are `other`.
 */
const EVENT_KINDS: Readonly<Record<string, string>> = {
  "+sdown": "suspects-down",
  "-sdown": "clears-down",
  "+odown": "agrees-down",
  "-odown": "agrees-up",
  "+try-failover": "failover-start",
  "+elected-leader": "elected",
  "+promoted-slave": "promoted",
  "+switch-master": "leader-switch",
  "+failover-end": "failover-end",
  "+failover-end-for-timeout": "failover-timeout",
  "+convert-to-slave": "demoted",
  "+tilt": "tilt",
  "-tilt": "tilt-end",
  "-failover-abort-no-good-slave": "failover-abort",
};

/**
 * Starts the `monitor` process of the history (DESIGN.md "Operations and the history"): it subscribes to every
 * Sentinel's event channels over direct connections (never through the proxy, so faults do not blind it) and
 * records each event (`f: "manager-event"`, with Sentinel's name for it — `+sdown`, `+odown`, `+switch-master`,
 * `+failover-end`, `+convert-to-slave`, `+tilt` — and its neutral `kind`) with the nodes it names; and it polls,
 * every `pollMs`, who the Sentinels say leads (`f: "leader"`, recorded on change) and which data nodes say they
 * are masters (`f: "writable-leaders"`, on change); and about every `offsetsEveryMs` (default 400, rounded to
 * whole polls; 0 = never) it records every data node's replication offset (`f: "replication-positions"`, a
 * `ReplicationOffsets` sample: the leader's offset,
 * each follower's offset and lag in bytes), so reports can plot replication lag over time. All entries are
 * standalone `info` events of process `monitor`. For each failover (`+try-failover`) it records what the Sentinels,
 * the leader and the proxy showed (`f: "failover-evidence"`, see `failoverEvidenceCollector`), with an explanation.
 *
 * @example
 * const monitor = startMonitor(cluster, history, { pollMs: 200 });
 * monitor.leader; // "n1"
 * await monitor.stop();
 */
export function startMonitor(
  target: MonitorTarget,
  history: MonitorSink,
  options: { pollMs?: number; offsetsEveryMs?: number; proxy?: ProxyProbe | undefined } = {},
): Monitor {
  const sentinels = target.nodes.filter((n) => n.role === "failover-manager");
  const data = target.nodes.filter((n) => n.role === "data").map((n) => n.name);
  const shape: ClusterShape = {
    masterName: target.masterName,
    dataNodes: data,
    sentinels: sentinels.map((s) => s.name),
    nodeByPublic: (h, p) => target.nodeByPublic(h, p),
  };
  let closed = false;
  const record = (f: string, value: unknown): void => {
    if (!closed) history.append({ process: "monitor", type: "info", f, value });
  };
  const evidence = failoverEvidenceCollector(
    {
      managers: shape.sentinels,
      masterName: target.masterName,
      admin: target.admin,
      nodeByPublic: (h, p) => target.nodeByPublic(h, p),
      proxy: options.proxy,
    },
    (value) => record("failover-evidence", value),
  );

  const subscribers = sentinels.map((s) => {
    const sub = new Redis({
      host: s.admin.host,
      port: s.admin.port,
      protocol: 2,
      connectTimeout: 1000,
      maxRetriesPerRequest: 0,
      enableReadyCheck: false,
      retryStrategy: () => 200,
      connectionName: MONITOR_CONNECTION_NAME,
      // Re-subscribed below on every reconnect: ioredis's own re-subscription is an internal command whose
      // rejection (the Sentinel restarted again right after it answered) nobody could catch.
      autoResubscribe: false,
    });
    sub.on("error", () => undefined);
    sub.on("pmessage", (_pattern: string, channel: string, message: string) => {
      if (channel.startsWith("__")) return;
      const value = describeEvent(s.name, channel, message, target);
      record("manager-event", value);
      evidence.onEvent(s.name, value);
    });
    // Every time the connection is (re)established, including the first: a subscription that does not get
    // through (the connection closed again first) is asked for again on the next one.
    sub.on("ready", () => void sub.psubscribe("*").catch(() => undefined));
    return sub;
  });

  let leader: string | undefined;
  let masters: string[] = [];
  let lastLeaderKey = "";
  let lastMastersKey = "";
  let polling = false;
  const pollMs = options.pollMs ?? 200;
  const offsetsEveryMs = options.offsetsEveryMs ?? 400;
  const offsetsEveryPolls = Math.max(1, Math.round(offsetsEveryMs / pollMs));
  let polls = 0;
  const poll = async (): Promise<void> => {
    if (polling) return;
    polling = true;
    try {
      const votes = await sentinelLeaderVotes(target.admin, shape);
      const counts = new Map<string, number>();
      for (const v of votes.values()) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
      const majority = [...counts].find(([, n]) => n > shape.sentinels.length / 2)?.[0];
      const key = majority ?? "";
      if (key !== lastLeaderKey) {
        lastLeaderKey = key;
        leader = majority;
        record("leader", majority ?? null);
      }
      const infos = await Promise.all(
        data.map(async (n) => {
          try {
            return (await target.admin.command(n, "INFO", "replication")) as string;
          } catch {
            return undefined;
          }
        }),
      );
      const roles = infos.map((text, i) =>
        text !== undefined && parseReplication(text).role === "master" ? data[i] : undefined,
      );
      const now = roles.filter((r): r is string => r !== undefined);
      if (offsetsEveryMs > 0 && polls++ % offsetsEveryPolls === 0) {
        const byNode = new Map(data.map((n, i) => [n, infos[i]]));
        record(
          "replication-positions",
          replicationOffsets(byNode, (h, p) => target.nodeByPublic(h, p)),
        );
      }
      const mkey = now.join(",");
      if (mkey !== lastMastersKey) {
        lastMastersKey = mkey;
        masters = now;
        record("writable-leaders", now);
      }
    } finally {
      polling = false;
    }
  };
  void poll();
  const timer = setInterval(() => void poll(), pollMs);

  let stopped: Promise<void> | undefined;
  return {
    get leader() {
      return leader;
    },
    get writableLeaders() {
      return masters;
    },
    stop() {
      stopped ??= (async () => {
        clearInterval(timer);
        while (polling) await new Promise((r) => setTimeout(r, 10));
        for (const sub of subscribers) sub.disconnect();
        await evidence.flush();
        closed = true;
      })();
      return stopped;
    },
  };
}

/**
 * Turns a Sentinel event into a history value, naming nodes instead of addresses: `+sdown` on
 * `master faultline 127.0.0.1 27301` becomes `{ manager, event: "+sdown", kind: "suspects-down", text, node: "n1" }`, and
 * `+switch-master` gets `from` and `to`.
 */
export function describeEvent(
  sentinel: string,
  event: string,
  text: string,
  target: Pick<MonitorTarget, "nodeByPublic">,
): Record<string, unknown> {
  const value: Record<string, unknown> = {
    manager: sentinel,
    event,
    kind: EVENT_KINDS[event] ?? "other",
    text,
  };
  const words = text.split(" ");
  if (event === "+switch-master" && words.length >= 5) {
    value.from = target.nodeByPublic(words[1]!, Number(words[2])) ?? `${words[1]}:${words[2]}`;
    value.to = target.nodeByPublic(words[3]!, Number(words[4])) ?? `${words[3]}:${words[4]}`;
    return value;
  }
  // "<type> <name> <ip> <port> [@ <master-name> <master-ip> <master-port>]"
  if (words.length >= 4 && /^\d+$/.test(words[3]!)) {
    const node = target.nodeByPublic(words[2]!, Number(words[3]));
    if (node) value.node = node;
  }
  return value;
}
