import type { ClusterTimeline, FaultWindow } from "./cluster-timeline.js";
import type { RoleOf } from "./cluster-roles.js";
import { leaderAt } from "./fault-context.js";

/** What {@link describeFault} needs to name the targets: the cluster's story and who is who. */
export interface FaultWordsContext {
  tl: ClusterTimeline;
  roleOf: RoleOf;
}

type Detail = Record<string, unknown>;

/** `4.2 s` (to the tenth: a sentence, not a measurement; the tables keep the milliseconds). */
export function shortSeconds(ms: number): string {
  return `${(Math.max(0, ms) / 1000).toFixed(1)} s`;
}

/**
 * One fault window in words, from its start's recorded value and the cluster's story, in the harness's neutral
 * vocabulary (leader, follower, failover manager, client): `partitioned n1 (the leader) with clients c1, c2 from
 * n2, n3 with failover managers s1–s3 and clients c3–c5 for 4.2 s`, `killed n2 (a follower), restarted after
 * 3.0 s`, `delayed 2 links (n2→n1, n3→n1) by 100 ms ± 10 ms for 5.0 s`. A value it does not know is told by the
 * fault's name and whatever target it names; never as JSON.
 *
 * @example
 * describeFault(window, { tl, roleOf: roleOf(roles) }); // "killed n1 (the leader), restarted after 3.0 s"
 */
export function describeFault(w: FaultWindow, ctx: FaultWordsContext): string {
  const d: Detail = w.detail !== null && typeof w.detail === "object" ? (w.detail as Detail) : {};
  const leader = leaderAt(ctx.tl, w.startMs) ?? undefined;
  const who = (name: string): string => {
    const role = ctx.roleOf(name);
    if (role === "manager") return `${name} (a failover manager)`;
    if (role === "consensus") return `${name} (a consensus member)`;
    if (role === "router") return `${name} (a router)`;
    if (role === "client") return `client ${name}`;
    if (name === leader) return `${name} (the leader)`;
    // A follower only when the managers named another leader; with none agreed a node is just its name.
    return role === "node" && leader !== undefined ? `${name} (a follower)` : name;
  };
  const group = (names: readonly string[]): string => describeGroup(names, ctx.roleOf, leader ?? undefined);
  const lasting =
    w.endMs === undefined ? "until the end of the run" : `for ${shortSeconds(w.endMs - w.startMs)}`;
  const text = sentence(w, d, { who, group, lasting });
  return w.uncertain ? `${text} (the start's outcome is unknown: it may or may not have been applied)` : text;
}

interface Words {
  who: (name: string) => string;
  group: (names: readonly string[]) => string;
  lasting: string;
}

function sentence(w: FaultWindow, d: Detail, x: Words): string {
  const components = lists(d.components);
  switch (d.kind) {
    case "partition-leader":
      if (strings(d.withLeader) && strings(d.others))
        return `partitioned ${x.group(d.withLeader)} from ${x.group(d.others)} ${x.lasting}${cutWords(d)}`;
      break;
    case "isolate-node":
      if (typeof d.node === "string")
        return `isolated ${x.who(d.node)} from the rest of the cluster ${x.lasting}${cutWords(d)}`;
      break;
    case "partition-bridge":
      if (components && typeof d.bridge === "string")
        return `split the cluster into ${components.map(x.group).join(" | ")}, with ${x.who(d.bridge)} reaching both sides, ${x.lasting}${cutWords(d)}`;
      break;
    case "partition-majorities-ring":
      if (strings(d.ring))
        return `cut every member off from all but its neighbours in the ring ${d.ring.join(" → ")} (each sees a majority) ${x.lasting}${cutWords(d)}`;
      break;
    case "one-way":
      if (strings(d.from) && strings(d.to))
        return `cut one way: ${x.group(d.from)} could not reach ${x.group(d.to)} (the other way still worked) ${x.lasting}${cutWords(d)}`;
      break;
  }
  if (components)
    return `split the cluster into ${components.map(x.group).join(" | ")} ${x.lasting}${cutWords(d)}`;
  const targets = strings(d.nodes) ? d.nodes : typeof d.node === "string" ? [d.node] : undefined;
  if (targets && targets.length > 0) {
    const whole = targets.map(x.who).join(", ");
    // One part of a node: its failover agent (its data process kept running) or its data process alone.
    const whom =
      d.part === "agent"
        ? `the failover agent of ${whole} (its data process kept running)`
        : d.part === "store"
          ? `the data process of ${whole} (its failover agent kept running)`
          : whole;
    if (d.signal === "SIGKILL" || /^kill-/.test(w.fault)) {
      return `killed ${whom}, ${w.endMs === undefined ? "not restarted before the run ended" : `restarted after ${shortSeconds(w.endMs - w.appliedMs)}`}`;
    }
    if (d.signal === "SIGSTOP" || /^pause-/.test(w.fault)) return `paused ${whom} ${x.lasting}`;
    if (typeof d.mode === "string")
      return `${clockWords(d, whom)}, ${w.endMs === undefined ? "until the end of the run" : `back on the real clock after ${shortSeconds(w.endMs - w.appliedMs)}`}`;
  }
  if (typeof d.toxic === "string" && strings(d.links))
    return `${toxicWords(d, linkWords(d.links))} ${x.lasting}`;
  // A fault this version does not know: its name and whatever target it names.
  const target =
    typeof d.grudge === "string" ? ` (${d.grudge})` : targets ? ` on ${targets.map(x.who).join(", ")}` : "";
  return `${w.fault}${target} ${x.lasting}`;
}

/**
 * A side of a partition: its data nodes (the leader marked), then its failover managers, consensus members and
 * clients, ranges shortened.
 */
export function describeGroup(names: readonly string[], roleOf: RoleOf, leader: string | undefined): string {
  const by = {
    node: [] as string[],
    manager: [] as string[],
    consensus: [] as string[],
    router: [] as string[],
    client: [] as string[],
    other: [] as string[],
  };
  for (const n of names) by[roleOf(n)].push(n);
  const first = [...by.node.map((n) => (n === leader ? `${n} (the leader)` : n)), ...by.other];
  const rest: string[] = [];
  if (by.manager.length > 0)
    rest.push(`${by.manager.length === 1 ? "failover manager" : "failover managers"} ${ranges(by.manager)}`);
  if (by.consensus.length > 0)
    rest.push(
      `${by.consensus.length === 1 ? "consensus member" : "consensus members"} ${ranges(by.consensus)}`,
    );
  if (by.router.length > 0)
    rest.push(`${by.router.length === 1 ? "router" : "routers"} ${ranges(by.router)}`);
  if (by.client.length > 0)
    rest.push(`${by.client.length === 1 ? "client" : "clients"} ${ranges(by.client)}`);
  if (first.length === 0) return rest.join(" and ") || "nobody";
  return rest.length === 0 ? ranges(first) : `${ranges(first)} with ${rest.join(" and ")}`;
}

/** `s1, s2, s3, c7` → `s1–s3, c7`: three or more consecutive numbers of one prefix become a range. */
export function ranges(names: readonly string[]): string {
  const out: string[] = [];
  let run: { prefix: string; from: number; to: number; names: string[] } | undefined;
  const flush = (): void => {
    if (!run) return;
    out.push(...(run.names.length >= 3 ? [`${run.prefix}${run.from}–${run.prefix}${run.to}`] : run.names));
    run = undefined;
  };
  for (const name of names) {
    const m = /^([A-Za-z]+)(\d+)$/.exec(name);
    if (m && run && run.prefix === m[1] && Number(m[2]) === run.to + 1) {
      run.to++;
      run.names.push(name);
      continue;
    }
    flush();
    if (m) run = { prefix: m[1]!, from: Number(m[2]), to: Number(m[2]), names: [name] };
    else out.push(name);
  }
  flush();
  return out.join(", ");
}

function cutWords(d: Detail): string {
  const n = strings(d.links) ? d.links.length : undefined;
  const how =
    d.cut === "refuse" ? "connections refused" : d.cut === "blackhole" ? "packets dropped" : undefined;
  if (n === undefined && how === undefined) return "";
  return ` (${[n === undefined ? undefined : `${n} ${n === 1 ? "link" : "links"} cut`, how].filter(Boolean).join(", ")})`;
}

function clockWords(d: Detail, whom: string): string {
  const off = typeof d.offsetMs === "number" ? d.offsetMs : 0;
  const amount = `${shortSeconds(Math.abs(off))} ${off >= 0 ? "ahead" : "behind"}`;
  if (d.mode === "rate" && typeof d.rate === "number")
    return `ran ${whom} with its clocks at ${d.rate}× speed`;
  if (d.mode === "jump") return `jumped the clock of ${whom} ${amount}`;
  return `ran ${whom} with its clock ${amount}`;
}

function linkWords(links: readonly string[]): string {
  const shown = links.slice(0, 4).map((l) => l.replace("->", "→"));
  const more = links.length > 4 ? ` and ${links.length - 4} more` : "";
  return `${links.length} ${links.length === 1 ? "link" : "links"} (${shown.join(", ")}${more})`;
}

function toxicWords(d: Detail, links: string): string {
  const a: Detail = d.attributes !== null && typeof d.attributes === "object" ? (d.attributes as Detail) : {};
  const num = (k: string): number | undefined => (typeof a[k] === "number" ? (a[k] as number) : undefined);
  switch (d.toxic) {
    case "latency": {
      const jitter = num("jitter");
      return `delayed ${links} by ${num("latency") ?? "?"} ms${jitter ? ` ± ${jitter} ms` : ""}`;
    }
    case "bandwidth":
      return `throttled ${links} to ${num("rate") ?? "?"} KB/s`;
    case "reset_peer":
      return `reset the connections of ${links}`;
    case "slicer":
      return `sliced the bytes of ${links} into small delayed pieces`;
    case "limit_data":
      return `closed the connections of ${links} after ${num("bytes") ?? "?"} bytes`;
    case "blackhole":
      return `dropped every byte on ${links}`;
    default:
      return `put a ${String(d.toxic)} toxic on ${links}`;
  }
}

function strings(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === "string");
}

function lists(v: unknown): string[][] | undefined {
  return Array.isArray(v) && v.length > 0 && v.every(strings) ? v : undefined;
}
