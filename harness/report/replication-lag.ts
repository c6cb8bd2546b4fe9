import type { History } from "../../checkers/history/index.js";
import { opMs } from "./cluster-timeline.js";

/** How far each follower's replication stream is behind the leader's, over time. */
export interface ReplicationLag {
  /** Sample times, ms. */
  t: number[];
  /** One series per follower: bytes behind the leader's offset at each sample (`null` when not sampled then). */
  series: { node: string; bytes: (number | null)[] }[];
  /** One series per follower when samples carry a follower's `lag` (seconds since its last ack), else empty. */
  seconds: { node: string; lag: (number | null)[] }[];
}

/** The monitor `f`s that carry replication-offset samples. */
export const LAG_SAMPLE_FS: readonly string[] = [
  "replication-positions",
  "replication-offsets",
  "replication-offset",
  "replication",
];

interface Sample {
  leader: string | undefined;
  leaderOffset: number | undefined;
  /** `lagBytes`: what the monitor computed against the follower's own leader (`null`: not comparable). */
  followers: Map<string, { offset: number | undefined; lag: number | undefined; lagBytes?: number | null }>;
}

/**
 * Reads one sample. Accepted shapes (the monitor's value of a `replication-positions` op, in every store's neutral
 * words):
 * - the monitor's own (`harness/monitor` `ReplicationOffsets`): `{ leader: "n1", offset: 120, followers: { n2: {
 *   of: "n1", offset: 100, lagBytes: 20, link: "up" } } }` — `lagBytes` is used as is;
 * - `{ leader: "n1", offset: 120, followers: { n2: 100 } }` or `followers: [{ node, offset, lag }]`
 *   (`leaderOffset` is accepted for `offset`);
 * - `{ leader: "n1", offsets: { n1: 120, n2: 100 } }`;
 * - `{ n1: 120, n2: 100 }` or `[{ node, offset, role?, lag? }]` — the leader is the `role: "leader"`
 *   entry, or the named `leader`, or else the largest offset.
 */
export function readLagSample(value: unknown): Sample | undefined {
  if (value === null || typeof value !== "object") return undefined;
  const v = value as Record<string, unknown>;
  const num = (x: unknown): number | undefined =>
    typeof x === "number" && Number.isFinite(x) ? x : undefined;
  const followers: Sample["followers"] = new Map();
  let leader = typeof v.leader === "string" ? v.leader : undefined;
  let leaderOffset = num(v.offset) ?? num(v.leaderOffset);
  const addEntry = (node: string, e: unknown): void => {
    if (typeof e === "number") followers.set(node, { offset: e, lag: undefined });
    else if (e && typeof e === "object") {
      const r = e as Record<string, unknown>;
      const role = typeof r.role === "string" ? r.role : undefined;
      if (role === "leader") {
        leader = node;
        leaderOffset = num(r.offset) ?? leaderOffset;
        return;
      }
      followers.set(node, {
        offset: num(r.offset),
        lag: num(r.lag),
        ...("lagBytes" in r ? { lagBytes: num(r.lagBytes) ?? null } : {}),
      });
    }
  };
  const list = Array.isArray(value) ? value : Array.isArray(v.followers) ? v.followers : undefined;
  if (list) {
    for (const e of list) {
      const r = (e ?? {}) as Record<string, unknown>;
      if (typeof r.node === "string") addEntry(r.node, r);
    }
  } else {
    const map = (v.followers ?? v.offsets ?? v) as Record<string, unknown>;
    if (map && typeof map === "object") {
      for (const [k, e] of Object.entries(map)) {
        if (["leader", "offset", "leaderOffset", "time"].includes(k)) continue;
        if (typeof e === "number" || (e && typeof e === "object")) addEntry(k, e);
      }
    }
  }
  if (leader !== undefined && followers.has(leader)) {
    leaderOffset ??= followers.get(leader)!.offset;
    followers.delete(leader);
  }
  const reported = [...followers.values()].some((f) => f.lagBytes !== undefined);
  if (leaderOffset === undefined && !reported) {
    const offsets = [...followers.values()].map((f) => f.offset).filter((o): o is number => o !== undefined);
    if (offsets.length === 0) return undefined;
    leaderOffset = Math.max(...offsets);
    if (leader === undefined) {
      const top = [...followers].find(([, f]) => f.offset === leaderOffset);
      if (top) {
        leader = top[0];
        followers.delete(top[0]);
      }
    }
  }
  return followers.size === 0 ? undefined : { leader, leaderOffset, followers };
}

/**
 * Replication lag over time from the monitor's replication-offset samples (`f` in {@link LAG_SAMPLE_FS}), or
 * `undefined` when the history has none (the report then says so). Lag in bytes is the leader's offset minus the
 * follower's, never below 0.
 *
 * @example
 * replicationLag(history)?.series; // [{ node: "n2", bytes: [0, 0, 5120, …] }, { node: "n3", … }]
 */
export function replicationLag(history: History): ReplicationLag | undefined {
  const samples: { ms: number; s: Sample }[] = [];
  for (const op of history) {
    if (op.process !== "monitor" || !LAG_SAMPLE_FS.includes(op.f)) continue;
    const s = readLagSample(op.value);
    if (s) samples.push({ ms: opMs(op), s });
  }
  if (samples.length === 0) return undefined;
  const nodes = [...new Set(samples.flatMap(({ s }) => [...s.followers.keys()]))].sort();
  const hasSeconds = samples.some(({ s }) => [...s.followers.values()].some((f) => f.lag !== undefined));
  return {
    t: samples.map((x) => x.ms),
    series: nodes.map((node) => ({
      node,
      bytes: samples.map(({ s }) => {
        const f = s.followers.get(node);
        if (f?.lagBytes !== undefined) return f.lagBytes;
        if (f?.offset === undefined || s.leaderOffset === undefined) return null;
        return Math.max(0, s.leaderOffset - f.offset);
      }),
    })),
    seconds: hasSeconds
      ? nodes.map((node) => ({ node, lag: samples.map(({ s }) => s.followers.get(node)?.lag ?? null) }))
      : [],
  };
}
