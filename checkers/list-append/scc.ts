/**
 * Tarjan's strongly connected components, iterative (no recursion, so 100,000-transaction components cannot
 * overflow the stack), restricted to edges of some kinds and to a subset of the vertices.
 */
import type { Graph } from "./graph.js";

/** Reusable per-graph scratch space, so searching many small components costs only their own size. */
export class SccWorkspace {
  readonly index: Int32Array;
  readonly low: Int32Array;
  readonly onStack: Uint8Array;
  /** Membership label of each vertex; a search only enters vertices whose label equals the one it is given. */
  readonly label: Int32Array;

  constructor(readonly graph: Graph) {
    this.index = new Int32Array(graph.n).fill(-1);
    this.low = new Int32Array(graph.n);
    this.onStack = new Uint8Array(graph.n);
    this.label = new Int32Array(graph.n);
  }
}

/**
 * The components with at least two vertices among `vertices` (all labelled `labelValue` in `ws.label`), using only
 * edges whose kind is in `mask`. Each component is returned as an array of vertex ids.
 */
export function stronglyConnected(
  ws: SccWorkspace,
  mask: number,
  vertices: ArrayLike<number>,
  labelValue: number,
): Int32Array[] {
  const { offsets, targets, kinds } = ws.graph;
  const { index, low, onStack, label } = ws;
  const out: Int32Array[] = [];
  const stack: number[] = [];
  const callV: number[] = [];
  const callE: number[] = [];
  let counter = 0;
  for (let r = 0; r < vertices.length; r++) {
    const root = vertices[r];
    if (index[root] !== -1) continue;
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    callV.push(root);
    callE.push(offsets[root]);
    while (callV.length > 0) {
      const top = callV.length - 1;
      const v = callV[top];
      const e = callE[top];
      if (e < offsets[v + 1]) {
        callE[top] = e + 1;
        if ((kinds[e] & mask) === 0) continue;
        const w = targets[e];
        if (label[w] !== labelValue) continue;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          callV.push(w);
          callE.push(offsets[w]);
        } else if (onStack[w] === 1 && index[w] < low[v]) {
          low[v] = index[w];
        }
        continue;
      }
      callV.pop();
      callE.pop();
      if (callV.length > 0) {
        const parent = callV[callV.length - 1];
        if (low[v] < low[parent]) low[parent] = low[v];
      }
      if (low[v] === index[v]) {
        let size = 0;
        for (let i = stack.length - 1; ; i--) {
          size++;
          if (stack[i] === v) break;
        }
        const comp = new Int32Array(size);
        for (let i = 0; i < size; i++) {
          const w = stack.pop() as number;
          onStack[w] = 0;
          comp[i] = w;
        }
        if (size > 1) out.push(comp);
      }
    }
  }
  for (let r = 0; r < vertices.length; r++) index[vertices[r]] = -1;
  return out;
}
