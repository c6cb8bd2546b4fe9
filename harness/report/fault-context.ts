import type { ClusterTimeline, FaultWindow } from "./cluster-timeline.js";

/** `3.210 s` (ms in, seconds out, to the millisecond). */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(3)} s`;
}

/** A fault window's name in prose: `partition-leader #2` (numbered per fault, in start order). */
export function faultLabel(tl: ClusterTimeline, w: FaultWindow): string {
  const same = tl.faults.filter((f) => f.fault === w.fault);
  return same.length > 1 || w.fault.includes("partition") ? `${w.fault} #${same.indexOf(w) + 1}` : w.fault;
}

/** What a fault did, in a few words, from its start's recorded value (the resolved target). */
export function faultTarget(w: FaultWindow): string {
  const d = (w.detail ?? {}) as Record<string, unknown>;
  if (Array.isArray(d.withLeader) && Array.isArray(d.others)) {
    return `${d.withLeader.map(String).join(", ")} cut off from ${d.others.map(String).join(", ")}`;
  }
  if (typeof d.grudge === "string") return d.grudge;
  if (typeof d.toxic === "string" && Array.isArray(d.links)) {
    const a = (d.attributes ?? {}) as Record<string, unknown>;
    const what =
      d.toxic === "latency" && typeof a.latency === "number"
        ? `${a.latency} ms latency${typeof a.jitter === "number" && a.jitter > 0 ? ` ± ${a.jitter} ms` : ""}`
        : d.toxic;
    const links = d.links.map(String);
    return `${what} on ${links.slice(0, 4).join(", ")}${links.length > 4 ? ` and ${links.length - 4} more links` : ""}`;
  }
  if (typeof d.node === "string") return `on ${d.node}`;
  if (typeof d.target === "string") return `on ${d.target}`;
  return "";
}

/** The fault windows in effect at `ms` (from the start's invoke to the stop's completion). */
export function faultsAt(tl: ClusterTimeline, ms: number): FaultWindow[] {
  return tl.faults.filter((w) => w.startMs <= ms && ms <= (w.endMs ?? Infinity));
}

/** The last fault window that ended before `ms`, if any. */
export function lastFaultBefore(tl: ClusterTimeline, ms: number): FaultWindow | undefined {
  return tl.faults.filter((w) => w.endMs !== undefined && w.endMs < ms).at(-1);
}

/** The leader the failover managers named at `ms` (`undefined` before the first report; `null` = no agreement). */
export function leaderAt(tl: ClusterTimeline, ms: number): string | null | undefined {
  let leader: string | null | undefined;
  for (const l of tl.leaders) {
    if (l.atMs > ms) break;
    leader = l.leader;
  }
  return leader;
}

/**
 * When `node` stopped being the leader the failover managers named, seen from `ms`: the first report after the
 * last one (at or before `ms`) that named `node`. `undefined` if it was never named before `ms` or is still named.
 */
export function leadershipLost(
  tl: ClusterTimeline,
  node: string,
  ms: number,
): { atMs: number; next: string | null } | undefined {
  let named = false;
  for (const l of tl.leaders) {
    if (l.atMs <= ms) {
      named = l.leader === node;
      continue;
    }
    if (named && l.leader !== node) return { atMs: l.atMs, next: l.leader };
    if (!named) return undefined;
  }
  return undefined;
}

/** When the managers had last named another leader before `ms` while `node` still answered (stale leader). */
export function replacedBefore(
  tl: ClusterTimeline,
  node: string,
  ms: number,
): { atMs: number; leader: string | null } | undefined {
  let since: { atMs: number; leader: string | null } | undefined;
  let wasNode = false;
  for (const l of tl.leaders) {
    if (l.atMs > ms) break;
    if (l.leader === node) {
      wasNode = true;
      since = undefined;
    } else if (wasNode && since === undefined) since = { atMs: l.atMs, leader: l.leader };
  }
  return since;
}

/** The first demotion of `node` after `ms` (it stopped claiming leadership). */
export function demotedAfter(
  tl: ClusterTimeline,
  node: string,
  ms: number,
): ClusterTimeline["demotions"][number] | undefined {
  return tl.demotions.find((d) => d.node === node && d.atMs >= ms);
}

/**
 * One phrase placing a moment among the faults: `during partition-leader #1 (n1, c1 cut off from …)`, or
 * `0.412 s after kill-leader ended`, or `while no fault was active`. `short` leaves out what each fault targeted.
 */
export function faultPhrase(tl: ClusterTimeline, ms: number, options: { short?: boolean } = {}): string {
  const active = faultsAt(tl, ms);
  if (active.length > 0) {
    return `during ${active
      .map((w) => {
        const target = options.short ? "" : faultTarget(w);
        return `${faultLabel(tl, w)}${target ? ` (${target})` : ""}`;
      })
      .join(" and ")}`;
  }
  const before = lastFaultBefore(tl, ms);
  if (before?.endMs !== undefined) {
    return `${seconds(ms - before.endMs)} after ${faultLabel(tl, before)} ended`;
  }
  return "while no fault was active";
}

/**
 * The story of a node that acknowledged something at `ms`: whether the managers still named it leader, when they
 * stopped, and when it was demoted. E.g. `n1 stopped being leader at 8.767 s (the failover managers named n3) and
 * was demoted at 14.712 s`.
 */
export function nodePhrase(tl: ClusterTimeline, node: string, ms: number): string {
  const parts: string[] = [];
  const leader = leaderAt(tl, ms);
  const lost = leadershipLost(tl, node, ms);
  if (leader === node && lost) {
    parts.push(
      `${node} stopped being leader at ${seconds(lost.atMs)} (${lost.next === null ? "the failover managers no longer agreed on one" : `the failover managers named ${lost.next}`})`,
    );
  } else if (leader === node) {
    parts.push(`${node} was still the leader at the end`);
  } else if (leader !== undefined) {
    const replaced = replacedBefore(tl, node, ms);
    parts.push(
      replaced
        ? `${node} was no longer the leader: the failover managers had named ${replaced.leader ?? "no leader"} at ${seconds(replaced.atMs)}`
        : `${node} was not the leader the failover managers named (${leader ?? "none agreed"})`,
    );
  }
  const demoted = demotedAfter(tl, node, ms);
  if (!demoted) return parts.join("");
  // A node that left the writable ones without a manager's demotion event stopped accepting writes (killed, or
  // demoted by its own agent); "demoted" is said only when a failover manager said so.
  const what = demoted.how === "demoted" ? "was demoted" : "stopped accepting writes";
  const when = `${what} at ${seconds(demoted.atMs)}`;
  if (parts.length === 0) return `${node} ${when}`;
  if (leader === node && lost && demoted.atMs < lost.atMs) {
    // Told in the order it happened: a killed primary stops at once, its leader lease runs out later.
    return `${node} ${when}, before the failover managers stopped naming it leader at ${seconds(lost.atMs)} (${lost.next === null ? "they no longer agreed on one" : `they named ${lost.next}`})`;
  }
  return parts[0]!.includes(" stopped being leader ") ? `${parts[0]} and ${when}` : `${parts[0]}; it ${when}`;
}
