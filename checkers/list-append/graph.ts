/**
 * The transaction dependency graph in compressed sparse row form: one entry per (edge, kind), so a pair related in
 * two ways has two entries and a search restricted to some kinds sees exactly the edges of those kinds.
 */
import type { EdgeType } from "./types.js";

/** Write-write: the later transaction appended right after the earlier one's element in a key's version order. */
export const WW = 1;
/** Write-read: the later transaction read the earlier one's append. */
export const WR = 2;
/** Read-write (anti-dependency): the earlier transaction read a state the later one's append came after. */
export const RW = 4;
/** Process order: the same process ran the later transaction next. */
export const PROCESS = 8;
/** Real-time order: the earlier transaction completed before the later one was invoked. */
export const REALTIME = 16;
/** The three data-dependency kinds. */
export const DATA = WW | WR | RW;

/** The name of an edge kind bit. */
export function edgeTypeName(bit: number): EdgeType {
  switch (bit) {
    case WW:
      return "ww";
    case WR:
      return "wr";
    case RW:
      return "rw";
    case PROCESS:
      return "process";
    default:
      return "realtime";
  }
}

/** A directed graph over vertices 0 … n-1; edges of vertex v are `offsets[v] … offsets[v + 1]`. */
export interface Graph {
  n: number;
  offsets: Int32Array;
  targets: Int32Array;
  kinds: Uint8Array;
}

/** Accumulates edges, then freezes them into a {@link Graph}. */
export class EdgeBuilder {
  private src = new Int32Array(1024);
  private dst = new Int32Array(1024);
  private kind = new Uint8Array(1024);
  private size = 0;

  constructor(private readonly n: number) {}

  /** Adds `from → to` of one kind; self-edges are dropped (a transaction never depends on itself). */
  add(from: number, to: number, kind: number): void {
    if (from === to) return;
    if (this.size === this.src.length) this.grow();
    this.src[this.size] = from;
    this.dst[this.size] = to;
    this.kind[this.size] = kind;
    this.size++;
  }

  /** Number of edges added so far. */
  get count(): number {
    return this.size;
  }

  private grow(): void {
    const cap = this.src.length * 2;
    const s = new Int32Array(cap);
    s.set(this.src);
    this.src = s;
    const d = new Int32Array(cap);
    d.set(this.dst);
    this.dst = d;
    const k = new Uint8Array(cap);
    k.set(this.kind);
    this.kind = k;
  }

  /** The graph (counting sort by source). */
  build(): Graph {
    const offsets = new Int32Array(this.n + 1);
    for (let i = 0; i < this.size; i++) offsets[this.src[i] + 1]++;
    for (let v = 0; v < this.n; v++) offsets[v + 1] += offsets[v];
    const fill = offsets.slice(0, this.n);
    const targets = new Int32Array(this.size);
    const kinds = new Uint8Array(this.size);
    for (let i = 0; i < this.size; i++) {
      const at = fill[this.src[i]]++;
      targets[at] = this.dst[i];
      kinds[at] = this.kind[i];
    }
    return { n: this.n, offsets, targets, kinds };
  }
}
