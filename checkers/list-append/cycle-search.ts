/**
 * Witness search: the shortest cycle of a given kind inside one strongly connected component. The component is
 * first split into the components of the kind's allowed edges (a cycle of that kind lies inside one of them, and
 * none means there is no such cycle); then, for each anchor edge u → v of the kind's required edge type, a
 * breadth-first search over (vertex, state) finds the shortest walk v ⇝ u that completes the kind. Walks that
 * revisit a vertex are split into simple cycles and one of the right kind is kept.
 */
import type { Budget } from "./budget.js";
import { accepts, classify, step, STATES } from "./cycle-spec.js";
import type { CycleSpec } from "./cycle-spec.js";
import type { Graph } from "./graph.js";
import { stronglyConnected } from "./scc.js";
import type { SccWorkspace } from "./scc.js";

/** One edge of a cycle. */
export interface CycleEdge {
  from: number;
  to: number;
  kind: number;
}

/** After the first witness of a kind is found, at most this many more anchors are tried for a shorter one. */
const EXTRA_TRIES = 16;

/** Searches witness cycles in one graph; reuses its scratch space across searches. */
export class CycleSearcher {
  private readonly local: Int32Array;
  private nextLabel = 1;

  constructor(
    private readonly graph: Graph,
    private readonly ws: SccWorkspace,
    private readonly budget: Budget,
  ) {
    this.local = new Int32Array(graph.n).fill(-1);
  }

  /** A fresh label for `vertices` in the workspace (restricts later searches to them). */
  labelOf(vertices: Int32Array): number {
    const l = this.nextLabel++;
    for (let i = 0; i < vertices.length; i++) this.ws.label[vertices[i]] = l;
    return l;
  }

  /**
   * The shortest cycle of `spec`'s kind found in `comp` (labelled `label`), or null if there is none, or
   * "budget" if the step budget ran out before one was found.
   */
  find(spec: CycleSpec, comp: Int32Array, label: number): CycleEdge[] | null | "budget" {
    const subs = stronglyConnected(this.ws, spec.allowed, comp, label);
    let best: CycleEdge[] | null = null;
    let triesAfterFound = 0;
    for (const sub of subs) {
      const subLabel = this.labelOf(sub);
      const anchors = this.anchors(spec, sub, subLabel);
      const r = this.searchSub(spec, sub, subLabel, anchors, best, triesAfterFound);
      // Restore the component's label so the next sub-component's search sees the same membership.
      for (let i = 0; i < sub.length; i++) this.ws.label[sub[i]] = label;
      if (r === "budget") return best ?? "budget";
      best = r.best;
      triesAfterFound = r.triesAfterFound;
      if (best !== null && (best.length === 2 || triesAfterFound >= EXTRA_TRIES)) break;
    }
    return best;
  }

  /** Anchor edges inside `sub`, grouped by target vertex (sorted, so searches are deterministic). */
  private anchors(spec: CycleSpec, sub: Int32Array, subLabel: number): AnchorGroup[] {
    const { offsets, targets, kinds } = this.graph;
    const byTarget = new Map<number, AnchorGroup>();
    for (let i = 0; i < sub.length; i++) {
      const u = sub[i];
      for (let e = offsets[u]; e < offsets[u + 1]; e++) {
        if (kinds[e] !== spec.anchor || this.ws.label[targets[e]] !== subLabel) continue;
        let g = byTarget.get(targets[e]);
        if (g === undefined) byTarget.set(targets[e], (g = { v: targets[e], sources: [], edges: [] }));
        g.sources.push(u);
        g.edges.push(e);
      }
    }
    return [...byTarget.values()].sort((a, b) => a.v - b.v);
  }

  private searchSub(
    spec: CycleSpec,
    sub: Int32Array,
    subLabel: number,
    anchors: AnchorGroup[],
    best: CycleEdge[] | null,
    tries: number,
  ): { best: CycleEdge[] | null; triesAfterFound: number } | "budget" {
    const { local } = this;
    for (let i = 0; i < sub.length; i++) local[sub[i]] = i;
    const parent = new Int32Array(sub.length * STATES).fill(-1);
    const parentEdge = new Int32Array(sub.length * STATES);
    const srcEdge = new Int32Array(sub.length).fill(-1);
    try {
      for (const g of anchors) {
        if (best !== null && (best.length === 2 || tries >= EXTRA_TRIES)) break;
        for (let i = 0; i < g.sources.length; i++) srcEdge[local[g.sources[i]]] = g.edges[i];
        const walk = this.bfs(spec, sub, g.v, subLabel, parent, parentEdge, srcEdge);
        for (let i = 0; i < g.sources.length; i++) srcEdge[local[g.sources[i]]] = -1;
        if (walk === "budget") return "budget";
        if (best !== null) tries++;
        if (walk === null) continue;
        const cycle = simpleCycleOfKind(spec, walk);
        if (cycle !== null && (best === null || cycle.length < best.length)) best = cycle;
      }
      return { best, triesAfterFound: tries };
    } finally {
      for (let i = 0; i < sub.length; i++) local[sub[i]] = -1;
    }
  }

  /** Shortest walk anchor(u → v) ⇝ u of the spec's kind, with u any vertex whose `srcEdge` is set. */
  private bfs(
    spec: CycleSpec,
    sub: Int32Array,
    v: number,
    subLabel: number,
    parent: Int32Array,
    parentEdge: Int32Array,
    srcEdge: Int32Array,
  ): CycleEdge[] | null | "budget" {
    const { offsets, targets, kinds } = this.graph;
    const { local } = this;
    const start = local[v] * STATES + step(spec, 0, spec.anchor);
    const queue: number[] = [start];
    parent[start] = start;
    try {
      for (let qi = 0; qi < queue.length; qi++) {
        const node = queue[qi];
        const x = (node / STATES) | 0;
        const s = node % STATES;
        if (srcEdge[x] >= 0 && accepts(spec, s))
          return rebuild(node, start, sub, parent, parentEdge, srcEdge, this.graph);
        const gx = sub[x];
        const from = offsets[gx];
        const to = offsets[gx + 1];
        if (!this.budget.spend(to - from + 1, "searching for cycles")) return "budget";
        for (let e = from; e < to; e++) {
          const k = kinds[e];
          if ((k & spec.allowed) === 0) continue;
          const w = targets[e];
          if (this.ws.label[w] !== subLabel) continue;
          const ns = step(spec, s, k);
          if (ns < 0) continue;
          const next = local[w] * STATES + ns;
          if (parent[next] !== -1) continue;
          parent[next] = node;
          parentEdge[next] = e;
          queue.push(next);
        }
      }
      return null;
    } finally {
      for (const node of queue) parent[node] = -1;
    }
  }
}

interface AnchorGroup {
  v: number;
  sources: number[];
  edges: number[];
}

/** The anchor edge followed by the BFS path from its target back to its source. */
function rebuild(
  found: number,
  start: number,
  sub: Int32Array,
  parent: Int32Array,
  parentEdge: Int32Array,
  srcEdge: Int32Array,
  graph: Graph,
): CycleEdge[] {
  const path: CycleEdge[] = [];
  for (let node = found; node !== start; node = parent[node]) {
    const e = parentEdge[node];
    path.push({ from: sub[(parent[node] / STATES) | 0], to: graph.targets[e], kind: graph.kinds[e] });
  }
  path.reverse();
  const x = (found / STATES) | 0;
  const anchor = srcEdge[x];
  const v = sub[(start / STATES) | 0];
  return [{ from: sub[x], to: v, kind: graph.kinds[anchor] }, ...path];
}

/**
 * Splits a closed walk into simple cycles and returns the shortest one of the spec's kind (by its own edges), or
 * null when none is.
 */
export function simpleCycleOfKind(spec: CycleSpec, walk: CycleEdge[]): CycleEdge[] | null {
  let best: CycleEdge[] | null = null;
  for (const c of simpleCycles(walk)) {
    if (classify(c.map((e) => e.kind)) !== spec.kind) continue;
    if (best === null || c.length < best.length) best = c;
  }
  return best;
}

/** The simple cycles a closed walk decomposes into. */
export function simpleCycles(walk: CycleEdge[]): CycleEdge[][] {
  const out: CycleEdge[][] = [];
  const stack: CycleEdge[] = [];
  const at = new Map<number, number>([[walk[0].from, 0]]);
  for (const e of walk) {
    stack.push(e);
    const j = at.get(e.to);
    if (j !== undefined) {
      const cyc = stack.splice(j);
      for (const c of cyc) at.delete(c.from);
      out.push(cyc);
    }
    at.set(e.to, stack.length);
  }
  return out;
}
