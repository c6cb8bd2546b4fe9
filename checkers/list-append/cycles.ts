/**
 * Cycle anomalies: builds the dependency graph with the edge kinds the wanted anomalies need, runs Tarjan's SCC,
 * and searches each strongly connected component for a witness of each wanted kind.
 *
 * 1. Data components (ww, wr, rw only): a witness of each base kind (G0, G1c, G-single, G-nonadjacent, G2-item).
 * 2. Components of the graph with process and/or real-time edges too: for a base kind not already witnessed inside
 *    the component, a `-process` witness, or failing that a `-realtime` one (those edges are then needed to close
 *    the cycle).
 *
 * Every component has a cycle; if no kind-directed search produced one (a budget ran out, or only walks that
 * revisit a transaction met a kind's constraints), the shortest cycle through one of its vertices is reported under
 * whatever kind its edges make it, so a cyclic history is never reported valid.
 */
import type { Budget } from "./budget.js";
import { CycleSearcher } from "./cycle-search.js";
import type { CycleEdge } from "./cycle-search.js";
import { BASE_KINDS, classify, cycleSpec } from "./cycle-spec.js";
import { buildGraph } from "./dependencies.js";
import { collapseOrderRuns, explainCycle } from "./explain.js";
import type { Findings } from "./findings.js";
import { txnIndex } from "./format.js";
import { DATA, PROCESS, REALTIME, RW, WR, WW } from "./graph.js";
import type { Graph } from "./graph.js";
import type { Observations } from "./observations.js";
import { SccWorkspace, stronglyConnected } from "./scc.js";
import type { TxnSet } from "./txns.js";
import type { BaseCycleKind, ListAppendAnomalyKind } from "./types.js";

/** Finds cycle anomalies of the wanted kinds; notes searches cut short by the step budget in `incomplete`. */
export function findCycles(
  obs: Observations,
  set: TxnSet,
  wanted: ReadonlySet<ListAppendAnomalyKind>,
  findings: Findings,
  budget: Budget,
  incomplete: string[],
): void {
  const base = BASE_KINDS.filter((k) => wanted.has(k));
  const proc = BASE_KINDS.filter((k) => wanted.has(`${k}-process`));
  const rt = BASE_KINDS.filter((k) => wanted.has(`${k}-realtime`));
  const all = new Set<BaseCycleKind>([...base, ...proc, ...rt]);
  if (all.size === 0) return;
  let kinds = WW | (proc.length > 0 ? PROCESS : 0) | (rt.length > 0 ? REALTIME : 0);
  if ([...all].some((k) => k !== "G0")) kinds |= WR;
  if ([...all].some((k) => k !== "G0" && k !== "G1c")) kinds |= RW;
  budget.check("inferring dependencies");
  const graph = buildGraph(obs, set, kinds);
  budget.check("inferring dependencies");
  const ws = new SccWorkspace(graph);
  const searcher = new CycleSearcher(graph, ws, budget);
  const vertices = Int32Array.from({ length: graph.n }, (_, i) => i);
  const report = (cycle: CycleEdge[]): ListAppendAnomalyKind => {
    const c = startAtEarliest(obs, shortcutOrder(obs, collapseOrderRuns(cycle)));
    const kind = classify(c.map((e) => e.kind));
    findings.add(kind, () => explainCycle(obs, c));
    return kind;
  };

  // 1. Data dependencies only.
  const foundIn: Set<ListAppendAnomalyKind>[] = [];
  const compOf = new Int32Array(graph.n).fill(-1);
  for (const comp of stronglyConnected(ws, DATA, vertices, 0)) {
    const found = new Set<ListAppendAnomalyKind>();
    foundIn.push(found);
    const label = searcher.labelOf(comp);
    for (const v of comp) compOf[v] = foundIn.length - 1;
    for (const k of base) {
      const r = searcher.find(cycleSpec(k, 0), comp, label);
      if (r === "budget") incomplete.push(`${k} in a component of ${comp.length} transactions`);
      else if (r !== null) found.add(report(r));
    }
    if (found.size === 0) found.add(report(shortestCycle(graph, ws, comp, label, DATA, budget)));
  }
  if (proc.length === 0 && rt.length === 0) return;

  // 2. With process / real-time order.
  ws.label.fill(0);
  for (const comp of stronglyConnected(ws, kinds, vertices, 0)) {
    const found = new Set<ListAppendAnomalyKind>();
    for (const v of comp) if (compOf[v] >= 0) for (const k of foundIn[compOf[v]]) found.add(k);
    const hadData = found.size > 0;
    const label = searcher.labelOf(comp);
    for (const k of BASE_KINDS) {
      if (found.has(k) || !all.has(k)) continue;
      for (const extra of [PROCESS, REALTIME] as const) {
        if (!wanted.has(`${k}-${extra === PROCESS ? "process" : "realtime"}`)) continue;
        const r = searcher.find(cycleSpec(k, extra), comp, label);
        if (r === "budget") {
          incomplete.push(`${cycleSpec(k, extra).kind} in a component of ${comp.length} transactions`);
        } else if (r !== null) {
          found.add(report(r));
          break;
        }
      }
    }
    if (!hadData && found.size === 0) report(shortestCycle(graph, ws, comp, label, kinds, budget));
  }
}

/**
 * Shortens a `-realtime` / `-process` witness where order alone relates two of its transactions: if T_i completed
 * before T_j was invoked (for `-process`: and they ran on one process), the steps between them are replaced by that
 * one order edge, as long as the cycle keeps its kind. Breadth-first search counts a chain of reduced real-time
 * edges as several steps; this makes the witness as short as the order really allows.
 */
function shortcutOrder(obs: Observations, cycle: CycleEdge[]): CycleEdge[] {
  const kind = classify(cycle.map((e) => e.kind));
  const extra = kind.endsWith("-realtime") ? REALTIME : kind.endsWith("-process") ? PROCESS : 0;
  if (extra === 0) return cycle;
  let best = cycle;
  let improved = true;
  while (improved) {
    improved = false;
    const n = best.length;
    for (let i = 0; i < n && !improved; i++) {
      for (let len = n - 1; len >= 2 && !improved; len--) {
        const a = obs.txns[best[i].from];
        const c = obs.txns[best[(i + len) % n].from];
        if (a.outcome !== "ok" || a.completeIndex > c.invokeIndex) continue;
        if (extra === PROCESS && a.process !== c.process) continue;
        const rest = [...best.slice(i + len), ...best.slice(0, i + len)].slice(0, n - len);
        const candidate = [{ from: a.id, to: c.id, kind: extra }, ...rest];
        if (classify(candidate.map((e) => e.kind)) !== kind) continue;
        best = candidate;
        improved = true;
      }
    }
  }
  return best;
}

/** The same cycle, rotated to start at its earliest transaction, so explanations name T1 the first to complete. */
function startAtEarliest(obs: Observations, cycle: CycleEdge[]): CycleEdge[] {
  let at = 0;
  for (let i = 1; i < cycle.length; i++) {
    if (txnIndex(obs.txns[cycle[i].from]) < txnIndex(obs.txns[cycle[at].from])) at = i;
  }
  return [...cycle.slice(at), ...cycle.slice(0, at)];
}

/** The shortest cycle through the component's first vertex, by breadth-first search over `mask` edges. */
function shortestCycle(
  graph: Graph,
  ws: SccWorkspace,
  comp: Int32Array,
  label: number,
  mask: number,
  budget: Budget,
): CycleEdge[] {
  const { offsets, targets, kinds } = graph;
  const root = comp[0];
  const parentEdge = new Map<number, number>();
  const parentOf = new Map<number, number>();
  const queue = [root];
  for (let qi = 0; qi < queue.length; qi++) {
    const x = queue[qi];
    budget.check("searching for cycles");
    for (let e = offsets[x]; e < offsets[x + 1]; e++) {
      if ((kinds[e] & mask) === 0 || ws.label[targets[e]] !== label) continue;
      const w = targets[e];
      if (w === root) {
        const path: CycleEdge[] = [{ from: x, to: w, kind: kinds[e] }];
        for (let y = x; y !== root; y = parentOf.get(y) as number) {
          const pe = parentEdge.get(y) as number;
          path.push({ from: parentOf.get(y) as number, to: y, kind: kinds[pe] });
        }
        return path.reverse();
      }
      if (parentOf.has(w)) continue;
      parentOf.set(w, x);
      parentEdge.set(w, e);
      queue.push(w);
    }
  }
  // Unreachable: every vertex of a strongly connected component lies on a cycle inside it.
  throw new Error(`no cycle through transaction ${root} in its own component`);
}
