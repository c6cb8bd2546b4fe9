import { elementKey, type Anomaly } from "../../checkers/core/index.js";
import { isClientProcess, pairOps, type History, type Op } from "../../checkers/history/index.js";
import type { TypedResult } from "../../checkers/registry/index.js";
import type { LostRecord } from "../../checkers/set-full/index.js";
import type { FinalRead, LostElement } from "../../checkers/set/index.js";
import { opMs, type ClusterTimeline } from "./cluster-timeline.js";
import { faultLabel, faultPhrase, faultsAt, nodePhrase, seconds } from "./fault-context.js";
import { historyLookup } from "./history-lookup.js";
import { preview } from "./preview.js";
import { isWriteOp } from "./write-availability.js";

/**
 * One anomaly told in plain language and tied to the faults and failovers around it. `details` holds one
 * sentence per example (at most {@link STORY_EXAMPLES}); `more` counts the examples left out.
 */
export interface AnomalyStory {
  /** The checker's label in the results (`set`, `linearizable`, `set#2`). */
  checker: string;
  kind: string;
  summary: string;
  details: string[];
  more: number;
  /** The time span its ops cover (ms), to show it in the timeline. */
  fromMs: number | undefined;
  toMs: number | undefined;
  /** History indices of (some of) the ops involved. */
  ops: number[];
}

/** Examples listed per story; results.json has them all. */
export const STORY_EXAMPLES = 25;

/**
 * Tells every anomaly of every invalid checker result as an {@link AnomalyStory}. Lost writes (`set`, `set-full`)
 * are grouped by the node that acknowledged them and the fault they were acknowledged in, and each is told as
 * "add 1432 was acknowledged by n1 at 3.210 s during partition-leader #1 (…); n1 stopped being leader at 5.000 s
 * (…) and was demoted at 9.800 s; 1432 is absent from the final read". Any other anomaly gets its checker's
 * explanation, placed among the faults and leader changes around the ops it names.
 *
 * @example
 * const stories = anomalyStories(history, typedResults(verdict.results), buildClusterTimeline(history));
 * stories[0].summary; // "234 acknowledged adds lost, acknowledged by n1 between 6.252 s and 8.700 s during …"
 */
export function anomalyStories(
  history: History,
  results: readonly TypedResult[],
  tl: ClusterTimeline,
): AnomalyStory[] {
  const lookup = historyLookup(history);
  let writes: Map<string, WriteOutcomes> | undefined;
  const stories: AnomalyStory[] = [];
  for (const t of results) {
    if (t.result.valid !== false) continue;
    for (const a of t.result.anomalies) {
      // Lost writes are told from the checker's own list of them, grouped by node and fault.
      if (a.kind === "lost" && t.checker === "set" && t.result.lost.length > 0) {
        stories.push(...setLostStories(t.label, t.result.lost, t.result.finalRead, lookup, tl));
      } else if (a.kind === "lost" && t.checker === "set-full" && t.result.lost.length > 0) {
        writes ??= writeOutcomes(history);
        stories.push(...setFullLostStories(t.label, t.result.lost, lookup, tl, writes));
      } else {
        stories.push(genericStory(t.label, a, lookup, tl));
      }
    }
  }
  return stories;
}

/** Groups lost writes by (acknowledging node, the first fault window active when acknowledged). */
function groupLost<T>(
  items: T[],
  at: (x: T) => { ms: number; node: string | undefined },
  tl: ClusterTimeline,
) {
  const groups = new Map<string, { node: string | undefined; fault: number; items: T[] }>();
  for (const x of items) {
    const { ms, node } = at(x);
    const w = faultsAt(tl, ms)[0];
    const fault = w ? tl.faults.indexOf(w) : -1;
    const key = `${node ?? ""}\u0000${fault}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { node, fault, items: [] }));
    g.items.push(x);
  }
  return [...groups.values()].sort((a, b) => at(a.items[0]!).ms - at(b.items[0]!).ms);
}

function setLostStories(
  label: string,
  lost: readonly LostElement[],
  read: FinalRead | null,
  lookup: (i: number) => Op | undefined,
  tl: ClusterTimeline,
): AnomalyStory[] {
  const readText = read
    ? `the final read (op ${read.op} at ${seconds(read.time / 1e6)}${read.node ? `, served by ${read.node}` : ""})`
    : "the final read";
  const info = (l: LostElement) => ({ ms: l.ackedTime / 1e6, node: lookup(l.ackedAt)?.node });
  const sorted = [...lost].sort((a, b) => a.ackedTime - b.ackedTime);
  return groupLost(sorted, info, tl).map((g) => {
    const first = info(g.items[0]!).ms;
    const last = info(g.items.at(-1)!).ms;
    const f = lookup(g.items[0]!.op)?.f ?? "add";
    const by = g.node ? `acknowledged by ${g.node}` : "acknowledged";
    const when = span(first, last, g.items.length === 1);
    const node = g.node ? `; ${nodePhrase(tl, g.node, first)}` : "";
    const summary =
      `${g.items.length} acknowledged ${f}${g.items.length === 1 ? "" : "s"} lost, ${by} ${when} ` +
      `${faultPhrase(tl, first)}${node}. ${g.items.length === 1 ? "It is not" : "None of them is"} in ${readText}.`;
    const detail = (l: LostElement): string => {
      const { ms, node: n } = info(l);
      const el = preview(l.element, 60);
      const who = n ? ` by ${n}` : "";
      return (
        `${lookup(l.op)?.f ?? "add"} ${el} was acknowledged${who} at ${seconds(ms)} ${faultPhrase(tl, ms, { short: true })}` +
        `${n ? `; ${nodePhrase(tl, n, ms)}` : ""}; ${el} is absent from the final read.`
      );
    };
    return lostStory(label, g.items, first, last, summary, detail, (l) => [l.op]);
  });
}

function setFullLostStories(
  label: string,
  lost: readonly LostRecord[],
  lookup: (i: number) => Op | undefined,
  tl: ClusterTimeline,
  writes: ReadonlyMap<string, WriteOutcomes>,
): AnomalyStory[] {
  const unacknowledged = (l: LostRecord): WriteOutcomes | undefined => {
    const w = writes.get(elementKey(l.element));
    return w && w.ok === 0 && w.info > 0 && l.lastSeen ? w : undefined;
  };
  const info = (l: LostRecord) => ({
    ms: l.known ? l.known.time / 1e6 : l.firstMissing.time / 1e6,
    node: l.known ? lookup(l.known.op)?.node : undefined,
  });
  const sorted = [...lost].sort((a, b) => info(a).ms - info(b).ms);
  return groupLost(sorted, info, tl).map((g) => {
    const first = info(g.items[0]!).ms;
    const last = info(g.items.at(-1)!).ms;
    const by = g.node ? ` by ${g.node}` : "";
    const when = span(first, last, g.items.length === 1);
    const summary =
      `${g.items.length} element${g.items.length === 1 ? "" : "s"} lost: known${by} ${when} ${faultPhrase(tl, first)}` +
      `${g.node ? `; ${nodePhrase(tl, g.node, first)}` : ""}; then missing from every later read, the last one included.` +
      unacknowledgedNote(
        g.items.filter((l) => unacknowledged(l) !== undefined).map(unacknowledged) as WriteOutcomes[],
        g.items.length,
      );
    const detail = (l: LostRecord): string => {
      const { ms, node } = info(l);
      const el = preview(l.element, 60);
      const seen = l.lastSeen
        ? `last seen by the read invoked at ${seconds(l.lastSeen.time / 1e6)}`
        : "never read";
      const after = l.missingReads > 1 ? ` and the ${l.missingReads - 1} read(s) after it` : "";
      return (
        `${el} became known${node ? ` through ${node}` : ""} at ${seconds(ms)} ${faultPhrase(tl, ms, { short: true })}; ${seen}; ` +
        `missing from the read invoked at ${seconds(l.firstMissing.time / 1e6)}${after}` +
        `${unacknowledged(l) ? `; never acknowledged: ${unacknowledged(l)!.errors[0] ?? "its write ended unknown"}` : ""}.`
      );
    };
    return lostStory(label, g.items, first, last, summary, detail, (l) => (l.known ? [l.known.op] : []));
  });
}

/** How the client writes of one element ended: counts, and the errors of those of unknown outcome (`info`). */
interface WriteOutcomes {
  ok: number;
  fail: number;
  info: number;
  errors: string[];
}

/** Every client write's outcomes by the element it wrote (its invoke's value), for set-like workloads. */
function writeOutcomes(history: History): Map<string, WriteOutcomes> {
  const out = new Map<string, WriteOutcomes>();
  for (const p of pairOps(history)) {
    if (!isClientProcess(p.process) || !isWriteOp(p.invoke)) continue;
    const k = elementKey(p.invoke.value);
    let w = out.get(k);
    if (!w) out.set(k, (w = { ok: 0, fail: 0, info: 0, errors: [] }));
    w[p.type]++;
    if (p.type === "info" && p.error) w.errors.push(p.error);
  }
  return out;
}

/** How much of each client message the unacknowledged-loss note quotes (a store's warning and what followed it). */
const SAID_CHARS = 400;

/**
 * The explanation of lost elements that no write acknowledged but a read saw (store-neutral): such a write took
 * effect on the leader that served the read — durable and visible there — without being acknowledged, typically
 * because its wait for replication was cut short (the client gave up, the server cancelled the wait); it was not
 * replicated, and the failover dropped it. The clients' own words (the store's) follow, most frequent first.
 */
function unacknowledgedNote(items: readonly WriteOutcomes[], of: number): string {
  if (items.length === 0) return "";
  const counts = new Map<string, number>();
  for (const w of items) for (const e of new Set(w.errors)) counts.set(e, (counts.get(e) ?? 0) + 1);
  const said = [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 3)
    .map(([text, n]) => `"${text.length > SAID_CHARS ? `${text.slice(0, SAID_CHARS)}…` : text}" (${n})`)
    .join(", ");
  const all = items.length === of;
  return (
    ` ${all ? (of === 1 ? "It was never acknowledged" : "None of them was acknowledged") : `${items.length} of them ${items.length === 1 ? "was" : "were"} never acknowledged`}: ` +
    `${items.length === 1 ? "its write" : "every write of them"} ended unknown, yet a read saw ` +
    `${items.length === 1 ? "it" : "them"}. A write whose wait for replication was cut short is durable on the old ` +
    `leader and visible there, but not replicated; the failover dropped it. Not an acknowledged write lost, but a ` +
    `read that saw data the cluster later lost.${said ? ` The clients recorded: ${said}.` : ""}`
  );
}

/** A group of lost writes as one story: a detail sentence for each of the first {@link STORY_EXAMPLES}. */
function lostStory<T>(
  label: string,
  items: T[],
  fromMs: number,
  toMs: number,
  summary: string,
  detail: (x: T) => string,
  opsOf: (x: T) => number[],
): AnomalyStory {
  return {
    checker: label,
    kind: "lost",
    summary,
    details: items.slice(0, STORY_EXAMPLES).map(detail),
    more: Math.max(0, items.length - STORY_EXAMPLES),
    fromMs,
    toMs,
    ops: items.slice(0, 1000).flatMap(opsOf),
  };
}

/** `at 3.210 s`, or `between 3.210 s and 5.000 s` unless `single`. */
function span(fromMs: number, toMs: number, single: boolean): string {
  return single ? `at ${seconds(fromMs)}` : `between ${seconds(fromMs)} and ${seconds(toMs)}`;
}

function genericStory(
  label: string,
  a: Anomaly,
  lookup: (i: number) => Op | undefined,
  tl: ClusterTimeline,
): AnomalyStory {
  const kind = a.kind;
  const lines = a.explanation.split("\n");
  const ops = a.ops ?? [];
  const found = ops.map(lookup).filter((o): o is Op => o !== undefined);
  const story: AnomalyStory = {
    checker: label,
    kind,
    summary: lines[0]!,
    details: lines.slice(1),
    more: 0,
    fromMs: undefined,
    toMs: undefined,
    ops: ops.slice(0, 1000),
  };
  if (found.length === 0) return story;
  const times = found.map(opMs);
  const from = Math.min(...times);
  const to = Math.max(...times);
  story.fromMs = from;
  story.toMs = to;
  const nodes = [...new Set(found.map((o) => o.node).filter((n): n is string => n !== undefined))].sort();
  const context = [`The ops involved ran ${span(from, to, from === to)}, ${faultPhrase(tl, from)}`];
  const endFault = faultsAt(tl, to).filter((w) => !faultsAt(tl, from).includes(w));
  if (endFault.length > 0)
    context.push(`; ${endFault.map((w) => faultLabel(tl, w)).join(", ")} began meanwhile`);
  const changes = tl.leaders.filter((l) => l.atMs >= from - 2000 && l.atMs <= to + 2000);
  if (changes.length > 0) {
    context.push(
      `; leader reports around them: ${changes.map((l) => `${l.leader ?? "none agreed"} at ${seconds(l.atMs)}`).join(", ")}`,
    );
  }
  if (nodes.length > 0) context.push(`; served by ${nodes.join(", ")}`);
  story.details.push(`${context.join("")}.`);
  return story;
}
